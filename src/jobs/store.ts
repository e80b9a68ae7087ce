import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB, Row } from '../db/tables.js';
import { DomainError } from '../errors.js';
import { hashStream, type EvidenceStore } from '../storage/evidence-store.js';
import type { EnqueueOptions, JobResultFile, JobState, JobView } from './queue.js';

// The `jobs` table (migration 0033): what both queue implementations record of a job.

export const DEFAULT_MAX_ATTEMPTS = 3;
const ACTIVE_STATES = ['queued', 'running', 'retrying'] as const;

/** Inserts a job, or finds the one with the same name and singleton key that is still waiting or running. */
export async function insertJob(
  db: Kysely<DB>,
  name: string,
  payload: unknown,
  options: EnqueueOptions,
  runner: 'in-process' | 'pg-boss',
): Promise<{ id: string; existing: boolean }> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  // Twice at most: the job found by its key may finish between the refused insert and the look-up.
  for (let round = 0; round < 3; round += 1) {
    const id = randomUUID();
    const inserted = await sql<{ id: string }>`
      INSERT INTO jobs (id, name, payload, singleton_key, investigation_id, created_by, max_attempts, runner)
      VALUES (${id}, ${name}, ${JSON.stringify(payload ?? null)}::jsonb, ${options.singletonKey ?? null},
              ${options.investigationId ?? null}, ${options.createdBy}, ${maxAttempts}, ${runner})
      ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('queued', 'running', 'retrying')
      DO NOTHING
      RETURNING id`.execute(db);
    if (inserted.rows.length === 1) return { id, existing: false };
    const found = await db
      .selectFrom('jobs')
      .select('id')
      .where('name', '=', name)
      .where('singleton_key', '=', options.singletonKey ?? '')
      .where('state', 'in', ACTIVE_STATES)
      .executeTakeFirst();
    if (found !== undefined) return { id: found.id, existing: true };
  }
  throw new Error(`could not queue job ${name}: its singleton key kept changing hands`);
}

export async function findJob(db: Kysely<DB>, id: string): Promise<Row<'jobs'> | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function toJobView(row: Row<'jobs'>): JobView {
  return {
    id: row.id,
    name: row.name,
    payload: row.payload,
    investigationId: row.investigation_id,
    createdBy: row.created_by,
    state: row.state as JobState,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: { done: row.progress_done, total: row.progress_total, message: row.progress_message },
    result: (row.result as JobResultFile | null) ?? null,
    problem:
      row.problem_code === null ? null : { code: row.problem_code, detail: row.problem_detail ?? row.problem_code },
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** Marks the start of one try; returns its number. */
export async function markRunning(db: Kysely<DB>, id: string): Promise<number> {
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({ state: 'running', attempts: eb('attempts', '+', 1), started_at: new Date() }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}

export async function recordProgress(
  db: Kysely<DB>,
  id: string,
  done: number,
  total: number | null,
  message: string | undefined,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ progress_done: done, progress_total: total, progress_message: message ?? null })
    .where('id', '=', id)
    .execute();
}

export async function markSucceeded(db: Kysely<DB>, id: string, result: JobResultFile | null): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      state: 'succeeded',
      result: result === null ? null : JSON.stringify(result),
      problem_code: null,
      problem_detail: null,
      finished_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

/** The problem a failed try is shown with: a DomainError's code and detail, anything else as internal. */
export function problemOf(error: unknown): { code: string; detail: string; permanent: boolean } {
  if (error instanceof DomainError) {
    // A refusal (no access, not found, bad input) will be refused again: it is not tried again.
    const permanent = error.status < 500;
    return { code: error.code, detail: error.message, permanent };
  }
  return { code: 'internal', detail: error instanceof Error ? error.message : String(error), permanent: false };
}

/** Records a failed try: `retrying` (run again after `retryAt`) or, on the last try, `failed`. */
export async function markAttemptFailed(
  db: Kysely<DB>,
  id: string,
  problem: { code: string; detail: string },
  retryAt: Date | undefined,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({
      state: retryAt === undefined ? 'failed' : 'retrying',
      problem_code: problem.code,
      problem_detail: problem.detail.slice(0, 4000),
      ...(retryAt === undefined ? { finished_at: new Date() } : { run_after: retryAt }),
    })
    .where('id', '=', id)
    .execute();
}

/** Seconds before try n+1 after try n failed: `fixed` when set (ARMTRACE_JOB_RETRY_DELAY_SECONDS), else 2, 4, 8 … 60. */
export function retryDelaySeconds(attempt: number, fixed: number | undefined): number {
  return fixed ?? Math.min(60, 2 ** attempt);
}

/**
 * Keeps a job's result file in the evidence store (`job-results/<job id>/<file>`): bytes are written to a local
 * temporary file first, a local file is hashed as it is; both are then put into the store.
 */
export async function keepResultFile(
  store: EvidenceStore,
  jobId: string,
  source: Buffer | Uint8Array | { path: string },
  file: string,
  mediaType: string,
): Promise<JobResultFile> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/.test(file)) throw new Error(`not a result file name: ${file}`);
  if ('path' in source) {
    const { sha256, sizeBytes } = await hashStream(fs.createReadStream(source.path));
    await store.putJobResult(jobId, file, source.path);
    return { file, media_type: mediaType, bytes: sizeBytes, sha256 };
  }
  const folder = await mkdtemp(path.join(os.tmpdir(), 'armtrace-job-'));
  try {
    const local = path.join(folder, file);
    await writeFile(local, source);
    await store.putJobResult(jobId, file, local);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return {
    file,
    media_type: mediaType,
    bytes: source.byteLength,
    sha256: createHash('sha256').update(source).digest('hex'),
  };
}
