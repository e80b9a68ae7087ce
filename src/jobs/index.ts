import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { createInProcessJobQueue } from './in-process.js';
import { createPgBossJobQueue } from './pg-boss.js';
import type { JobQueue } from './queue.js';

export type { PeriodicJob } from './periodic.js';
export type { EnqueueOptions, JobContext, JobHandler, JobQueue, JobResultFile, JobState, JobView } from './queue.js';

/**
 * The queue for this deployment: pg-boss on PostgreSQL, in-process on the embedded database. Made once where the
 * program is assembled (`armtrace serve`, a CLI session, a test) and passed in, like the database and the
 * evidence store (which keeps the jobs' result files). Only `serve` (or a test that asks) starts it: a queue not
 * started only queues.
 *
 * @example
 * const jobs = createJobQueue(database, config, store);
 * registerFeatureJobs(jobs);
 * await jobs.start();
 */
export function createJobQueue(database: Database, config: Config, store: EvidenceStore): JobQueue {
  return database.kind === 'postgres' && config.databaseUrl !== undefined
    ? createPgBossJobQueue(database.db, store, {
        connectionString: config.databaseUrl,
        poolSize: config.jobs.poolSize,
        expireInSeconds: config.jobs.expireInSeconds,
        maintenanceIntervalSeconds: config.jobs.maintenanceIntervalSeconds,
        pollingIntervalSeconds: config.jobs.pollingIntervalSeconds,
        retryDelaySeconds: config.jobs.retryDelaySeconds,
      })
    : createInProcessJobQueue(database.db, store, {
        pollingIntervalSeconds: config.jobs.pollingIntervalSeconds,
        retryDelaySeconds: config.jobs.retryDelaySeconds,
      });
}
