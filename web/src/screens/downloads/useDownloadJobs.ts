import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, call } from '../../api/client';
import { isActive, kindOf, nextPollDelay, type Job, type StartRequest } from './jobRequests';

export { isActive, kindOf, requestOf, type Job, type JobKind, type StartRequest } from './jobRequests';

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
