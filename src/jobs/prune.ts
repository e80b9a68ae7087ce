import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/tables.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { enqueuePeriodicIfDue, startPeriodicJob, type PeriodicJob } from './periodic.js';
import type { JobQueue, JobResultFile } from './queue.js';

/** The periodic job that removes finished jobs after ARMTRACE_JOB_RESULTS_DAYS (docs/jobs.md "Pruning"). */
export const PRUNE_JOB = 'jobs.prune';
/** How often a server asks for the pruning (each asks; the job runs once per interval, never twice at once). */
export const PRUNE_INTERVAL_SECONDS = 3600;
const FINISHED = ['succeeded', 'failed'] as const;
const BATCH = 100;

const prunePayloadSchema = z.object({ older_than_days: z.number().int().min(1).max(3650) });

export interface PruneOutcome {
  /** Jobs removed (their rows, and their result files when they had one). */
  jobs: number;
  /** Result files removed from the evidence store's job-results area. */
  files: number;
}

/**
 * Removes the jobs that finished (succeeded or failed) more than `olderThanDays` days before `now`: first the
 * result file, from the evidence store's job-results area only (`deleteJobResult` reaches nothing else: never an
 * original, a proof or a derivative), then, in one transaction, the `jobs` row, leaving its id in `pruned_jobs`
 * so that GET /jobs/{id} answers 410 `job_pruned`. Waiting and running jobs are never touched. A file that is
 * already gone is no error, so a pruning cut off half-way is finished by the next one.
 *
 * @example
 * const { jobs, files } = await pruneFinishedJobs(db, store, { olderThanDays: 7 });
 */
export async function pruneFinishedJobs(
  db: Kysely<DB>,
  store: EvidenceStore,
  options: {
    olderThanDays: number;
    now?: Date;
    onProgress?: (done: number, total: number) => Promise<void>;
  },
): Promise<PruneOutcome> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * 86_400_000);
  const due = db
    .selectFrom('jobs')
    .where('state', 'in', FINISHED)
    .where('finished_at', 'is not', null)
    .where('finished_at', '<', cutoff);
  const { count } = await due.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const total = Number(count);
  const outcome: PruneOutcome = { jobs: 0, files: 0 };
  await options.onProgress?.(0, total);
  for (;;) {
    const rows = await due
      .select(['id', 'name', 'investigation_id', 'created_by', 'finished_at', 'result'])
      .orderBy('finished_at')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const result = row.result as JobResultFile | null;
      if (result !== null && typeof result.file === 'string') {
        await store.deleteJobResult(row.id, result.file);
        outcome.files += 1;
      }
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('pruned_jobs')
          .values({
            id: row.id,
            name: row.name,
            investigation_id: row.investigation_id,
            created_by: row.created_by,
            finished_at: row.finished_at,
          })
          .onConflict((conflict) => conflict.column('id').doNothing())
          .execute();
        await trx.deleteFrom('jobs').where('id', '=', row.id).where('state', 'in', FINISHED).execute();
      });
      outcome.jobs += 1;
    }
    await options.onProgress?.(outcome.jobs, Math.max(total, outcome.jobs));
  }
  return outcome;
}

/**
 * Names the pruning on a queue (`armtrace serve`; a test). Its payload says how old a finished job must be; the
 * queue's singleton key keeps two prunings from waiting or running at once.
 *
 * @example
 * registerJobPruning(queue);
 */
export function registerJobPruning(queue: JobQueue): void {
  queue.register(PRUNE_JOB, async (payload, context) => {
    const { older_than_days: olderThanDays } = prunePayloadSchema.parse(payload);
    const outcome = await pruneFinishedJobs(context.db, context.store, {
      olderThanDays,
      onProgress: (done, total) => context.progress(done, total, 'jobs removed'),
    });
    await context.progress(
      outcome.jobs,
      outcome.jobs,
      `${outcome.jobs} jobs and ${outcome.files} result files removed`,
    );
    return null;
  });
}

/**
 * Queues the pruning unless one was queued less than `intervalSeconds` ago (by this server or another): at most
 * one per interval across servers, and never two at once (the singleton key). Returns the job's id, or undefined
 * when it was not due.
 */
export async function enqueuePruningIfDue(
  db: Kysely<DB>,
  queue: JobQueue,
  options: { olderThanDays: number; intervalSeconds?: number; now?: Date },
): Promise<string | undefined> {
  return enqueuePeriodicIfDue(db, queue, pruningJob(options), options.now);
}

function pruningJob(options: { olderThanDays: number; intervalSeconds?: number }): PeriodicJob {
  return {
    name: PRUNE_JOB,
    payload: { older_than_days: options.olderThanDays },
    intervalSeconds: options.intervalSeconds ?? PRUNE_INTERVAL_SECONDS,
    description: 'the pruning of old jobs',
  };
}

/**
 * Asks for the pruning now and every interval while the server runs (`armtrace serve`); stop() ends the timer.
 * A failure to queue is reported and tried again at the next interval.
 *
 * @example
 * const pruning = startJobPruning(database.db, jobs, { olderThanDays: config.jobs.resultsDays });
 * await pruning.stop();
 */
export function startJobPruning(
  db: Kysely<DB>,
  queue: JobQueue,
  options: { olderThanDays: number; intervalSeconds?: number },
): { stop(): Promise<void> } {
  return startPeriodicJob(db, queue, pruningJob(options));
}
