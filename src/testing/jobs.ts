import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobQueue } from '../jobs/index.js';

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
