import type { ResponseOf } from '../../api/client';

// The jobs of the Downloads screen without React or the network: which file a job prepares, how to ask for it
// again, how long to wait before asking about it again (jobRequests.test.ts).

/** A job as GET /api/v1/jobs/{id} shows it. */
export type Job = ResponseOf<'/api/v1/jobs/{id}'>;
/** The files of the Downloads screen that the server prepares as jobs. */
export type JobKind = 'bag' | 'pdf';

const jobNames: Record<JobKind, string> = { bag: 'bag.export', pdf: 'report.pdf' };

export function kindOf(job: Job): JobKind | undefined {
  if (job.name === jobNames.bag) return 'bag';
  if (job.name === jobNames.pdf) return 'pdf';
  return undefined;
}

export function isActive(job: Job): boolean {
  return job.state === 'queued' || job.state === 'running' || job.state === 'retrying';
}

/** What starts a job again: a bag's profile and grid, a report's language (read from the job's payload). */
export type StartRequest =
  | { kind: 'bag'; profile: 'internal' | 'partner' | 'public'; gridKm?: number | undefined }
  | { kind: 'pdf'; lang: 'en' | 'ar' | 'fr'; asOf?: string | undefined };

/** The request a job was started with, to start it again; undefined when its payload does not say. */
export function requestOf(job: Job): StartRequest | undefined {
  const payload = job.payload ?? {};
  const kind = kindOf(job);
  if (kind === 'bag') {
    const profile = payload.profile;
    if (profile !== 'internal' && profile !== 'partner' && profile !== 'public') return undefined;
    return { kind, profile, gridKm: typeof payload.gridKm === 'number' ? payload.gridKm : undefined };
  }
  if (kind === 'pdf') {
    const lang = payload.lang;
    if (lang !== 'en' && lang !== 'ar' && lang !== 'fr') return undefined;
    return { kind, lang, asOf: typeof payload.asOf === 'string' ? payload.asOf : undefined };
  }
  return undefined;
}

/** How long to wait before asking again: 1 s, then half as long again each time, up to 10 s. */
export function nextPollDelay(previousMs: number | undefined): number {
  return previousMs === undefined ? 1000 : Math.min(10_000, Math.round(previousMs * 1.5));
}
