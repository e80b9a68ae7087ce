import type { Config } from '../config/config.js';
import type { JobQueue } from '../jobs/index.js';
import { registerReportJobs } from './report/jobs.js';

/** Every feature's jobs (the work run in the background). A feature with long work adds one line here. */
export function registerFeatureJobs(queue: JobQueue, deps: { config: Config }): void {
  registerReportJobs(queue, deps);
}
