import type { ResponseOf } from './client';

// Jobs as the web app follows them (the Downloads screen's prepared files, the verify screen), without React:
// what a job is, whether it is still at work, how long to wait before asking about it again.

/** A job as GET /api/v1/jobs/{id} shows it. */
export type Job = ResponseOf<'/api/v1/jobs/{id}'>;

export function isActive(job: Job): boolean {
  return job.state === 'queued' || job.state === 'running' || job.state === 'retrying';
}

/** How long to wait before asking again: 1 s, then half as long again each time, up to 10 s. */
export function nextPollDelay(previousMs: number | undefined): number {
  return previousMs === undefined ? 1000 : Math.min(10_000, Math.round(previousMs * 1.5));
}
