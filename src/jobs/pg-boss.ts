import type { Kysely } from 'kysely';
import PgBoss from 'pg-boss';
import type { DB } from '../db/tables.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import type { JobHandler, JobQueue } from './queue.js';
import { runOneTry } from './runner.js';
import { findJob, insertJob, markAttemptFailed, markRunning, retryDelaySeconds, toJobView } from './store.js';

export interface PgBossQueueOptions {
  connectionString: string;
  /** Connections pg-boss's own pool may open (beside armtrace's pool of 10). */
  poolSize: number;
  /** A try not finished after this long (its worker died, or hangs) is failed by pg-boss and tried again. */
  expireInSeconds: number;
  /** How often pg-boss's maintenance looks for expired tries. */
  maintenanceIntervalSeconds: number;
  /** How often an idle worker asks for a job (pg-boss polls: LISTEN/NOTIFY does not pass pgbouncer's transaction mode). */
  pollingIntervalSeconds: number;
  /** A fixed wait before the next try; undefined: 2, 4, 8 … 60 s (pg-boss's backoff). */
  retryDelaySeconds?: number | undefined;
}

/**
 * The job queue on PostgreSQL: pg-boss 10 in its own schema `pgboss` (made by pg-boss at start). Every server
 * is a worker. pg-boss takes a job with `SELECT … FOR UPDATE SKIP LOCKED` and marks it active in the same
 * statement, so no two workers run the same try; a try whose worker died stays active until `expireInSeconds`,
 * then pg-boss's maintenance fails it and, with tries left, queues it again (retryLimit). The `jobs` table
 * keeps what the API shows, under the same id.
 *
 * @example
 * const queue = createPgBossJobQueue(db, store, { connectionString, poolSize: 4, expireInSeconds: 900, … });
 */
export function createPgBossJobQueue(db: Kysely<DB>, store: EvidenceStore, options: PgBossQueueOptions): JobQueue {
  const handlers = new Map<string, JobHandler>();
  const boss = new PgBoss({
    connectionString: options.connectionString,
    max: options.poolSize,
    schema: 'pgboss',
    application_name: 'armtrace-jobs',
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds,
    // Finished pg-boss rows go after a week; the `jobs` table keeps the record of each job.
    deleteAfterDays: 7,
  });
  boss.on('error', (error: unknown) => {
    process.stderr.write(`armtrace: job queue (pg-boss): ${String(error)}\n`);
  });
  let started = false;
  // pg-boss opens its pool at start; a process that only queues (a test, a CLI session) starts it without working.
  let opened: Promise<unknown> | undefined;
  const open = (): Promise<unknown> => (opened ??= boss.start());
  const queues = new Set<string>();

  async function send(name: string, id: string, maxAttempts: number): Promise<void> {
    await open();
    if (!queues.has(name)) {
      await boss.createQueue(name);
      queues.add(name);
    }
    await boss.send(
      name,
      { jobId: id },
      {
        id,
        retryLimit: maxAttempts - 1,
        retryDelay: retryDelaySeconds(1, options.retryDelaySeconds),
        retryBackoff: options.retryDelaySeconds === undefined,
        expireInSeconds: options.expireInSeconds,
      },
    );
  }

  return {
    kind: 'pg-boss',
    register(name, handler) {
      handlers.set(name, handler);
    },
    async start() {
      if (started) return;
      await open();
      started = true;
      for (const name of handlers.keys()) {
        await boss.createQueue(name);
        queues.add(name);
        await boss.work<{ jobId: string }>(
          name,
          { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds },
          async ([job]) => {
            if (job === undefined) return;
            const row = await findJob(db, job.data.jobId);
            if (row === undefined || row.state === 'succeeded' || row.state === 'failed') return;
            if (row.attempts >= row.max_attempts) {
              // pg-boss gave another try after the last one's worker died.
              await markAttemptFailed(
                db,
                row.id,
                { code: 'internal', detail: 'the process running this job stopped before it ended' },
                undefined,
              );
              return;
            }
            const attempt = await markRunning(db, row.id);
            const outcome = await runOneTry(
              db,
              store,
              handlers,
              { ...row, attempts: attempt, state: 'running' },
              options.retryDelaySeconds,
            );
            // Thrown back to pg-boss, which schedules the next try (retryLimit, retryDelay).
            if (outcome.kind === 'retry') throw outcome.error;
          },
        );
        // A job recorded in `jobs` whose pg-boss row was never written (the process stopped between the two):
        // sending it again under the same id is ignored by pg-boss when the row exists.
        const waiting = await db
          .selectFrom('jobs')
          .select(['id', 'max_attempts'])
          .where('name', '=', name)
          .where('state', '=', 'queued')
          .where('runner', '=', 'pg-boss')
          .execute();
        for (const job of waiting) await send(name, job.id, job.max_attempts);
      }
    },
    async stop() {
      if (opened === undefined) return;
      started = false;
      opened = undefined;
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
    async enqueue(name, payload, enqueueOptions) {
      const queued = await insertJob(db, name, payload, enqueueOptions, 'pg-boss');
      if (!queued.existing) {
        await send(name, queued.id, enqueueOptions.maxAttempts ?? 3);
      }
      return queued;
    },
    async get(id) {
      const row = await findJob(db, id);
      return row === undefined ? undefined : toJobView(row);
    },
  };
}
