import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { createInProcessJobQueue } from './in-process.js';
import { createPgBossJobQueue } from './pg-boss.js';
import type { JobQueue } from './queue.js';
import { registerTestJobs } from './test-jobs.js';

export type { EnqueueOptions, JobContext, JobHandler, JobQueue, JobResultFile, JobState, JobView } from './queue.js';

/**
 * The queue for this deployment: pg-boss on PostgreSQL, in-process on the embedded database. Made once where the
 * program is assembled (`armtrace serve`, a test) and passed in, like the database. Result files are kept under
 * `<data directory>/job-results/`.
 *
 * @example
 * const jobs = createJobQueue(database, config);
 * registerFeatureJobs(jobs, { config });
 * await jobs.start();
 */
export function createJobQueue(database: Database, config: Config): JobQueue {
  const resultsDir = path.join(config.dataDir, 'job-results');
  const queue =
    database.kind === 'postgres' && config.databaseUrl !== undefined
      ? createPgBossJobQueue(database.db, resultsDir, {
          connectionString: config.databaseUrl,
          poolSize: config.jobs.poolSize,
          expireInSeconds: config.jobs.expireInSeconds,
          maintenanceIntervalSeconds: config.jobs.maintenanceIntervalSeconds,
          pollingIntervalSeconds: config.jobs.pollingIntervalSeconds,
        })
      : createInProcessJobQueue(database.db, resultsDir);
  // Jobs that exist only for the tests of the queue (a slow one, a failing one): never in a real deployment.
  if (process.env.ARMTRACE_TEST_JOBS === '1') registerTestJobs(queue);
  return queue;
}
