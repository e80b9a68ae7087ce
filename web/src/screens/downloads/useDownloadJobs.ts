import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, call, type ResponseOf } from '../../api/client';

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

const PAGE_SIZE = 10;

export interface DownloadJobs {
  jobs: Job[];
  /** Jobs the server no longer has (410 job_pruned: removed after the configured days), with its answer. */
  gone: Record<string, ApiError>;
  loading: boolean;
  loadError: unknown;
  hasMore: boolean;
  loadMore(): Promise<void>;
  /** Starts a job; throws the server's refusal (ApiError). */
  start(request: StartRequest): Promise<Job>;
}

function merge(known: Job[], arrived: Job[], atTop: boolean): Job[] {
  const ids = new Set(arrived.map((job) => job.id));
  const rest = known.filter((job) => !ids.has(job.id));
  return atTop ? [...arrived, ...rest] : [...rest, ...arrived];
}

/**
 * The files the server prepares for this investigation as jobs (the bag, the PDF report): those the user
 * started earlier (GET /jobs, page by page, so leaving the screen or reloading shows them again), starting new
 * ones, and following each waiting or running job (GET /jobs/{id}) every 1 s, backing off to every 10 s.
 */
export function useDownloadJobs(investigationId: string): DownloadJobs {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [gone, setGone] = useState<Record<string, ApiError>>({});
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<unknown>();
  const [nextAfter, setNextAfter] = useState<string | null>(null);
  const [followGeneration, setFollowGeneration] = useState(0);

  const readPage = useCallback(
    async (after: string | undefined) => {
      const page = await call(
        api.GET('/api/v1/jobs', {
          params: { query: { investigation_id: investigationId, limit: PAGE_SIZE, ...(after ? { after } : {}) } },
        }),
      );
      return { items: page.items.filter((job) => kindOf(job) !== undefined), next: page.next_after };
    },
    [investigationId],
  );

  useEffect(() => {
    let current = true;
    setLoading(true);
    setJobs([]);
    readPage(undefined).then(
      (page) => {
        if (!current) return;
        setJobs(page.items);
        setNextAfter(page.next);
        setLoadError(undefined);
        setLoading(false);
      },
      (error: unknown) => {
        if (!current) return;
        setLoadError(error);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [readPage]);

  const loadMore = useCallback(async () => {
    if (nextAfter === null) return;
    setLoading(true);
    try {
      const page = await readPage(nextAfter);
      setJobs((known) => merge(known, page.items, false));
      setNextAfter(page.next);
      setLoadError(undefined);
    } catch (error) {
      setLoadError(error);
    } finally {
      setLoading(false);
    }
  }, [nextAfter, readPage]);

  // The jobs still waiting or running, as one key: following restarts (from 1 s) only when that set changes.
  const following = jobs
    .filter((job) => isActive(job) && gone[job.id] === undefined)
    .map((job) => job.id)
    .join(',');

  useEffect(() => {
    if (following === '') return;
    let cancelled = false;
    let delay = nextPollDelay(undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      for (const id of following.split(',')) {
        try {
          const job = await call(api.GET('/api/v1/jobs/{id}', { params: { path: { id } } }));
          if (cancelled) return;
          setJobs((known) => known.map((entry) => (entry.id === job.id ? job : entry)));
        } catch (error) {
          if (cancelled) return;
          // Gone (pruned) or no longer visible: shown as such, and no longer asked about. A lost connection or a
          // server that is restarting: asked again at the next turn.
          if (error instanceof ApiError && (error.status === 410 || error.status === 404)) {
            setGone((known) => ({ ...known, [id]: error }));
          }
        }
      }
      if (cancelled) return;
      delay = nextPollDelay(delay);
      timer = setTimeout(() => void ask(), delay);
    };
    timer = setTimeout(() => void ask(), delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [following, followGeneration]);

  const start = useCallback(
    async (request: StartRequest) => {
      const path = { params: { path: { id: investigationId } } };
      const accepted =
        request.kind === 'bag'
          ? await call(
              api.POST('/api/v1/investigations/{id}/bag-jobs', {
                ...path,
                body: {
                  profile: request.profile,
                  ...(request.profile === 'public' && request.gridKm !== undefined ? { grid_km: request.gridKm } : {}),
                },
              }),
            )
          : await call(
              api.POST('/api/v1/investigations/{id}/report-jobs', {
                ...path,
                body: { lang: request.lang, ...(request.asOf !== undefined ? { as_of: request.asOf } : {}) },
              }),
            );
      setJobs((known) => merge(known, [accepted.job], true));
      // Asked about from 1 s again, even when the same job was already being followed.
      setFollowGeneration((value) => value + 1);
      return accepted.job;
    },
    [investigationId],
  );

  return { jobs, gone, loading, loadError, hasMore: nextAfter !== null, loadMore, start };
}
