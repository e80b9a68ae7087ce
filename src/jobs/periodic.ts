import type { Kysely } from 'kysely';
import type { DB } from '../db/tables.js';
import type { JobQueue } from './queue.js';

/** A job of the instance's own that `armtrace serve` asks for at start and every interval (docs/jobs.md). */
export interface PeriodicJob {
  /** The job's name (registered on the queue by whoever does the work). */
  name: string;
  payload: unknown;
  intervalSeconds: number;
  /** What it does, for the message when it cannot be queued ("the pruning of old jobs"). */
  description: string;
}

/**
 * Queues a periodic job unless one of its name was queued less than its interval ago (by this server or another):
 * at most one per interval across servers, and never two at once (the singleton key `instance`). It belongs to
 * nobody (no creator, no investigation) and is tried once: the next interval tries again. Returns the job's id,
 * or undefined when it was not due.
 *
 * @example
 * await enqueuePeriodicIfDue(db, queue, { name: 'jobs.prune', payload: {}, intervalSeconds: 3600, description: '…' });
 */
export async function enqueuePeriodicIfDue(
  db: Kysely<DB>,
  queue: JobQueue,
  job: Omit<PeriodicJob, 'description'>,
  now: Date = new Date(),
): Promise<string | undefined> {
  const since = new Date(now.getTime() - job.intervalSeconds * 1000);
  const recent = await db
    .selectFrom('jobs')
    .select('id')
    .where('name', '=', job.name)
    .where('created_at', '>', since)
    .executeTakeFirst();
  if (recent !== undefined) return undefined;
  const queued = await queue.enqueue(job.name, job.payload, {
    createdBy: null,
    investigationId: null,
    singletonKey: 'instance',
    maxAttempts: 1,
  });
  return queued.id;
}

/**
 * Asks for a periodic job now and every interval while the server runs (`armtrace serve`); stop() ends the timer.
 * A failure to queue is reported and tried again at the next interval.
 *
 * @example
 * const sweep = startPeriodicJob(database.db, jobs, { name, payload, intervalSeconds: 600, description: 'the sweep' });
 * await sweep.stop();
 */
export function startPeriodicJob(db: Kysely<DB>, queue: JobQueue, job: PeriodicJob): { stop(): Promise<void> } {
  let pending: Promise<unknown> = Promise.resolve();
  const ask = () => {
    pending = enqueuePeriodicIfDue(db, queue, job).catch((error: unknown) => {
      process.stderr.write(`armtrace: could not queue ${job.description} (${String(error)}); will retry\n`);
    });
  };
  ask();
  const timer = setInterval(ask, job.intervalSeconds * 1000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}
