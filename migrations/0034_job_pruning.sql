-- Pruning old job results (docs/jobs.md "Pruning"): a finished job's result file (in the evidence store's
-- job-results area, never an original) and its `jobs` row are removed after ARMTRACE_JOB_RESULTS_DAYS. What is
-- left of it is one line here, so that GET /jobs/{id} (a link kept in a browser, a script) answers 410 with the
-- reason instead of 404. Operational state, not evidence (as `jobs`).
CREATE TABLE pruned_jobs (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  investigation_id uuid REFERENCES investigations (id),
  created_by uuid REFERENCES users (id),
  finished_at timestamptz,
  pruned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pruned_jobs_pruned_at ON pruned_jobs (pruned_at);
-- The instance's own periodic jobs (the pruning itself) are asked for by nobody.
ALTER TABLE jobs ALTER COLUMN created_by DROP NOT NULL;
