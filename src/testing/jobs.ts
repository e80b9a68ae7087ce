import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { DB } from '../db/tables.js';
import type { JobResponse } from '../features/jobs/schema.js';
import { registerMediaJobs } from '../features/media/derivative-jobs.js';
import { registerFeatureJobs } from '../features/routes.js';
import { buildApp } from '../http/app.js';
import type { ApiApp } from '../http/types.js';
import { createInProcessJobQueue } from '../jobs/in-process.js';
import type { JobQueue } from '../jobs/index.js';
import { createPgBossJobQueue } from '../jobs/pg-boss.js';
import { createEvidenceStore } from '../storage/create.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import type { TestDatabase, TestWorld } from './test-database.js';

export interface TestJobsOptions {
  /**
   * Which jobs the queue runs: every feature's, as `serve` registers them (the default), only the media
   * derivatives (an upload's thumbnails, preview and perceptual hash), or none (then name them in `register`).
   */
  jobs?: 'features' | 'media' | 'none';
  /** More jobs, registered after those: e.g. {@link registerTestJobs}, `registerJobPruning`. */
  register?: ((queue: JobQueue) => void)[];
  /**
   * On PostgreSQL, run the jobs through pg-boss, as a deployment does; otherwise (the default, and always on the
   * embedded database) in this process.
   */
  pgBoss?: boolean;
  /** How often an idle worker looks for work; default 0.5 s. pg-boss never looks more often than every 0.5 s. */
  pollingIntervalSeconds?: number;
  /** The wait before a failed job's next try: default 0 (at once); null: the queue's own backoff (2, 4, 8 … s). */
  retryDelaySeconds?: number | null;
  /** pg-boss only: how long a try may run before pg-boss counts it dead and tries again; default 600 s. */
  expireInSeconds?: number;
  /** Start the queue now (the default); false: it only queues until {@link TestJobs.runUntilIdle} starts it. */
  start?: boolean;
}

export interface TestJobs {
  queue: JobQueue;
  /** Starts the queue and waits until no job waits or runs (see {@link runJobsUntilIdle}). */
  runUntilIdle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The job queue of a test, with the features' jobs registered and started, as `armtrace serve` does: the one
 * place tests build a queue (the browser harness, the media test app, the queue's own tests). Stop it before
 * closing the database.
 *
 * @example
 * const jobs = await startTestJobs(world.test, store, world.config, { pgBoss: true });
 * const app = await buildApp({ db: world.db, config: world.config, store, logger: false, jobs: jobs.queue });
 * after(() => jobs.stop());
 */
export async function startTestJobs(
  database: Pick<TestDatabase, 'db' | 'kind' | 'url'>,
  store: EvidenceStore,
  config: Config,
  options: TestJobsOptions = {},
): Promise<TestJobs> {
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 0.5;
  const retryDelaySeconds = options.retryDelaySeconds === null ? undefined : (options.retryDelaySeconds ?? 0);
  let queue: JobQueue;
  if (options.pgBoss === true && database.kind === 'postgres') {
    assert.ok(database.url !== undefined, 'the PostgreSQL test database has a URL');
    queue = createPgBossJobQueue(database.db, store, {
      connectionString: database.url,
      poolSize: 2,
      expireInSeconds: options.expireInSeconds ?? 600,
      maintenanceIntervalSeconds: 60,
      pollingIntervalSeconds: Math.max(pollingIntervalSeconds, 0.5),
      retryDelaySeconds,
    });
  } else {
    queue = createInProcessJobQueue(database.db, store, { pollingIntervalSeconds, retryDelaySeconds });
  }
  const jobs = options.jobs ?? 'features';
  if (jobs === 'features') registerFeatureJobs(queue, { config });
  if (jobs === 'media') registerMediaJobs(queue, { config });
  for (const register of options.register ?? []) register(queue);
  if (options.start !== false) await queue.start();
  return { queue, runUntilIdle: () => runJobsUntilIdle(database.db, queue), stop: () => queue.stop() };
}

/**
 * Starts a queue, waits until no job of the database waits or runs (retries included: give the queue a retry
 * delay of 0): the jobs queued so far have ended, succeeded or failed. An in-process queue is stopped again (so
 * the next jobs wait); pg-boss keeps working until it is stopped (it is started once per process).
 */
export async function runJobsUntilIdle(db: Kysely<DB>, queue: JobQueue): Promise<void> {
  await queue.start();
  try {
    for (;;) {
      const active = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('state', 'in', ['queued', 'running', 'retrying'])
        .executeTakeFirstOrThrow();
      if (Number(active.count) === 0) return;
      await sleep(20);
    }
  } finally {
    if (queue.kind === 'in-process') await queue.stop();
  }
}

/** Waits (on the state, never on a time) until the job has succeeded or failed, reading it through the API. */
export async function waitForJob(app: ApiApp, id: string, cookie: string): Promise<JobResponse> {
  for (;;) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/jobs/${id}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    const job = response.json<JobResponse>();
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    await sleep(50);
  }
}

/** A started queue and an app on it. */
export interface QueueApp {
  kind: JobQueue['kind'];
  queue: JobQueue;
  app: ApiApp;
}

export interface QueueApps {
  /** The evidence store of the world's configuration, shared by every queue (job results live there). */
  store: EvidenceStore;
  /** The in-process queue, and on PostgreSQL pg-boss too. */
  setups: QueueApp[];
  close(): Promise<void>;
}

/**
 * For the queue's own tests, which check both queues the same way: the in-process queue everywhere, and pg-boss
 * too on PostgreSQL, each with the given jobs, started, tried again at once, and an app on it.
 *
 * @example
 * const queues = await startQueueApps(world, { jobs: 'none', register: [registerTestJobs] });
 * for (const { kind, queue, app } of queues.setups) …
 */
export async function startQueueApps(
  world: TestWorld,
  jobs: Pick<TestJobsOptions, 'jobs' | 'register'>,
): Promise<QueueApps> {
  const store = createEvidenceStore(world.config);
  const setups: QueueApp[] = [];
  const close = async (): Promise<void> => {
    for (const setup of setups) {
      await setup.app.close();
      await setup.queue.stop();
    }
  };
  try {
    for (const pgBoss of world.test.kind === 'postgres' ? [false, true] : [false]) {
      const { queue } = await startTestJobs(world.test, store, world.config, {
        ...jobs,
        pgBoss,
        expireInSeconds: 60,
      });
      try {
        const app = await buildApp({ db: world.db, config: world.config, store, logger: false, jobs: queue });
        setups.push({ kind: queue.kind, queue, app });
      } catch (error) {
        await queue.stop();
        throw error;
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { store, setups, close };
}

/**
 * Jobs for the queue's own tests, registered only by tests (src/testing/serve-with-test-jobs.ts for a child
 * `serve`): `test.steps` counts `steps` steps of `stepMs` each and keeps a small text file; `test.fail` fails
 * the first `failTimes` tries (or always); `test.hold` (below) holds until a file exists.
 */
export function registerTestJobs(queue: JobQueue): void {
  registerHoldJob(queue);
  queue.register('test.steps', async (payload, context) => {
    const { steps, stepMs } = payload as { steps: number; stepMs: number };
    for (let step = 0; step < steps; step += 1) {
      await context.progress(step, steps, `step ${step + 1} of ${steps}`);
      await sleep(stepMs);
    }
    await context.progress(steps, steps, 'done');
    return context.keepResult(Buffer.from(`steps ${steps}, attempt ${context.attempt}\n`), 'steps.txt', 'text/plain');
  });
  queue.register('test.fail', (payload, context) => {
    const { failTimes } = payload as { failTimes: number | null };
    if (failTimes === null || context.attempt <= failTimes) {
      return Promise.reject(new Error(`test failure on try ${context.attempt}`));
    }
    return Promise.resolve(null);
  });
}

/**
 * `test.hold`: records progress 0 of 1, then holds (a server can be killed in the middle of it) until the file
 * `releaseFile` exists, then keeps a small text file naming the try that finished. Waits on a file, not a time.
 */
export function registerHoldJob(queue: JobQueue): void {
  queue.register('test.hold', async (payload, context) => {
    const { releaseFile } = payload as { releaseFile: string };
    await context.progress(0, 1, `holding (try ${context.attempt})`);
    while (!existsSync(releaseFile)) await sleep(50);
    await context.progress(1, 1, 'released');
    return context.keepResult(Buffer.from(`released on try ${context.attempt}\n`), 'held.txt', 'text/plain');
  });
}
