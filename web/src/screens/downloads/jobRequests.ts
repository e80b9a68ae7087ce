import { isActive, nextPollDelay, type Job } from '../../api/jobs';

// The jobs of the Downloads screen without React or the network: which file a job prepares, how to ask for it
// again, how long to wait before asking about it again (jobRequests.test.ts).

export { isActive, nextPollDelay, type Job };
/** The files of the Downloads screen that the server prepares as jobs. */
export type JobKind = 'bag' | 'pdf';

const jobNames: Record<JobKind, string> = { bag: 'bag.export', pdf: 'report.pdf' };

export function kindOf(job: Job): JobKind | undefined {
  if (job.name === jobNames.bag) return 'bag';
  if (job.name === jobNames.pdf) return 'pdf';
  return undefined;
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
