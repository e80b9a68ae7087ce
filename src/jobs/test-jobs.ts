import { setTimeout as sleep } from 'node:timers/promises';
import type { JobQueue } from './queue.js';

/**
 * Jobs for the queue's own tests, registered only with ARMTRACE_TEST_JOBS=1: `test.steps` counts `steps` steps
 * of `stepMs` each and keeps a small text file (a slow job to kill a server under); `test.fail` fails the
 * first `failTimes` tries (or always).
 */
export function registerTestJobs(queue: JobQueue): void {
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
