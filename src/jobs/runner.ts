import type { Kysely } from 'kysely';
import type { DB, Row } from '../db/tables.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import type { JobContext, JobHandler } from './queue.js';
import {
  keepResultFile,
  markAttemptFailed,
  markSucceeded,
  problemOf,
  recordProgress,
  retryDelaySeconds,
} from './store.js';

/** How one try ended: done (succeeded or failed for good), or to be tried again. */
export type TryOutcome = { kind: 'finished' } | { kind: 'retry'; error: unknown };

/**
 * Runs one try of a job already marked `running` (attempt `row.attempts`) and records how it ended. Both queue
 * implementations call it: the in-process loop, and the pg-boss worker (which rethrows on `retry`, so pg-boss
 * schedules the next try).
 */
export async function runOneTry(
  db: Kysely<DB>,
  store: EvidenceStore,
  handlers: ReadonlyMap<string, JobHandler>,
  row: Row<'jobs'>,
  fixedRetryDelaySeconds: number | undefined,
): Promise<TryOutcome> {
  const handler = handlers.get(row.name);
  if (handler === undefined) {
    await markAttemptFailed(
      db,
      row.id,
      { code: 'internal', detail: `no worker knows jobs named ${row.name}` },
      undefined,
    );
    return { kind: 'finished' };
  }
  const context: JobContext = {
    jobId: row.id,
    attempt: row.attempts,
    db,
    store,
    createdBy: row.created_by,
    progress: (done, total, message) => recordProgress(db, row.id, done, total, message),
    keepResult: (bytes, file, mediaType) => keepResultFile(store, row.id, bytes, file, mediaType),
  };
  try {
    const result = await handler(row.payload, context);
    await markSucceeded(db, row.id, result);
    return { kind: 'finished' };
  } catch (error) {
    const problem = problemOf(error);
    const last = problem.permanent || row.attempts >= row.max_attempts;
    const retryAt = last
      ? undefined
      : new Date(Date.now() + retryDelaySeconds(row.attempts, fixedRetryDelaySeconds) * 1000);
    await markAttemptFailed(db, row.id, problem, retryAt);
    return last ? { kind: 'finished' } : { kind: 'retry', error };
  }
}
