import { sql, type Kysely } from 'kysely';
import type { DB, Row } from '../db/tables.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import type { JobHandler, JobQueue } from './queue.js';
import { runOneTry } from './runner.js';
import { findJob, insertJob, toJobView } from './store.js';

export interface InProcessQueueOptions {
  /** How often an idle loop looks for work (a job queued by this process wakes it at once); default 1 s. */
  pollingIntervalSeconds?: number;
  /** A fixed wait before the next try; undefined: 2, 4, 8 … 60 s. */
  retryDelaySeconds?: number | undefined;
}

/**
 * The job queue of the embedded database: PGlite is one connection in this process, so jobs run here, one at a
 * time, between requests. The `jobs` table is the queue, so a job survives a restart: a job left `running` by a
 * process that stopped is tried again (or failed, if that was its last try) when the next one starts. Taking the
 * next job is one `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED)`, so even on PostgreSQL (where tests
 * may use it) two workers never take the same job.
 *
 * @example
 * const queue = createInProcessJobQueue(database.db, store);
 */
export function createInProcessJobQueue(
  db: Kysely<DB>,
  store: EvidenceStore,
  options: InProcessQueueOptions = {},
): JobQueue {
  const handlers = new Map<string, JobHandler>();
  const pollMs = (options.pollingIntervalSeconds ?? 1) * 1000;
  // An object, not a boolean: stop() changes it while the loop awaits.
  const status = { running: false };
  const isRunning = (): boolean => status.running;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function claimNext(): Promise<Row<'jobs'> | undefined> {
    const names = [...handlers.keys()];
    if (names.length === 0) return undefined;
    const claimed = await sql<Row<'jobs'>>`
      UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = now()
      WHERE id = (
        SELECT id FROM jobs
        WHERE state IN ('queued', 'retrying') AND runner = 'in-process' AND run_after <= now()
          AND name = ANY(${names}::text[])
        ORDER BY run_after, created_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`.execute(db);
    return claimed.rows[0];
  }

  async function loop(): Promise<void> {
    while (isRunning()) {
      let row: Row<'jobs'> | undefined;
      try {
        row = await claimNext();
        if (row !== undefined) await runOneTry(db, store, handlers, row, options.retryDelaySeconds);
      } catch (error) {
        if (isRunning())
          process.stderr.write(`armtrace: the job queue could not run a job (${String(error)}); will retry\n`);
      }
      if (row === undefined && isRunning()) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, pollMs);
        });
        wake = undefined;
      }
    }
  }

  return {
    kind: 'in-process',
    register(name, handler) {
      handlers.set(name, handler);
    },
    async start() {
      if (status.running) return;
      // Left running by a process that stopped (only one process holds the embedded database).
      await sql`
        UPDATE jobs SET
          state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'retrying' END,
          problem_code = 'internal',
          problem_detail = 'the process running this job stopped before it ended',
          finished_at = CASE WHEN attempts >= max_attempts THEN now() ELSE NULL END
        WHERE state = 'running' AND runner = 'in-process'`.execute(db);
      status.running = true;
      current = loop();
    },
    async stop() {
      status.running = false;
      clearTimeout(timer);
      wake?.();
      await current;
    },
    async enqueue(name, payload, options) {
      const queued = await insertJob(db, name, payload, options, 'in-process');
      wake?.();
      return queued;
    },
    async get(id) {
      const row = await findJob(db, id);
      return row === undefined ? undefined : toJobView(row);
    },
  };
}
