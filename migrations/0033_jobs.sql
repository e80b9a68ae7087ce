-- Long work run as jobs (issue 16, item 3): bag exports, PDF reports, verify, media derivatives. This table is
-- what the API and the CLI show of a job (state, progress, result, problem) on both databases. On the embedded
-- database it is also the queue (src/jobs/in-process.ts: one job at a time in the server process; a job left
-- `running` by a process that died is queued again when the next one starts). On PostgreSQL pg-boss runs the
-- jobs (its own schema `pgboss`, created by pg-boss at start) under the same id, and updates this row.
-- Operational state, not evidence: not audited (the work a job does is, by the services it calls).
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  payload jsonb NOT NULL,
  -- Two jobs with the same name and key never wait or run at once (the index below).
  singleton_key text CHECK (singleton_key IS NULL OR length(singleton_key) BETWEEN 1 AND 400),
  investigation_id uuid REFERENCES investigations (id),
  created_by uuid NOT NULL REFERENCES users (id),
  -- Which queue runs it: the in-process loop takes only its own (a test may run both on one PostgreSQL).
  runner text NOT NULL DEFAULT 'in-process' CHECK (runner IN ('in-process', 'pg-boss')),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'retrying', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
  run_after timestamptz NOT NULL DEFAULT now(),
  progress_done bigint CHECK (progress_done >= 0),
  progress_total bigint CHECK (progress_total >= 0),
  progress_message text,
  -- What the job made: {"file": name, "media_type": …, "bytes": n, "sha256": …} for a file to download.
  result jsonb,
  problem_code text,
  problem_detail text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE UNIQUE INDEX jobs_singleton ON jobs (name, singleton_key)
  WHERE singleton_key IS NOT NULL AND state IN ('queued', 'running', 'retrying');
CREATE INDEX jobs_waiting ON jobs (run_after, created_at) WHERE state IN ('queued', 'retrying');
CREATE INDEX jobs_investigation ON jobs (investigation_id, created_at);
CREATE INDEX jobs_created_by ON jobs (created_by, created_at);
