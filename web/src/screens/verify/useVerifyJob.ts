import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, call, type ResponseOf } from '../../api/client';
import { isActive, nextPollDelay, type Job } from '../../api/jobs';

/** The verify job (POST /audit/verify-jobs, the same as `armtrace job verify`): one at a time for the instance. */
export const VERIFY_JOB = 'audit.verify';

/** The verify report: GET /audit/verify's answer, and the verify job's result file. */
export type VerifyResult = ResponseOf<'/api/v1/audit/verify'>;

export interface VerifyJob {
  /** The latest verify of the instance (whoever started it), or the one just started; undefined: none yet. */
  job: Job | undefined;
  /** Its report, once it succeeded and the report was read. */
  result: VerifyResult | undefined;
  loading: boolean;
  /** A refusal or a lost connection while reading, starting or following (an ApiError, or anything thrown). */
  error: unknown;
  starting: boolean;
  start(): Promise<void>;
}

/**
 * Verify as a job for the verify screen: the latest verify job (GET /jobs?name=audit.verify&all_users=true, so a
 * reload or another administrator's run shows it again), starting one (POST /audit/verify-jobs; while one waits or
 * runs the server answers with that one), following it (GET /jobs/{id} every 1 s, backing off to every 10 s) and
 * reading its report (GET /jobs/{id}/result) once it succeeded. `enabled`: administrators only.
 */
export function useVerifyJob(enabled: boolean): VerifyJob {
  const [job, setJob] = useState<Job | undefined>(undefined);
  const [result, setResult] = useState<VerifyResult | undefined>(undefined);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<unknown>(undefined);
  const [starting, setStarting] = useState(false);
  const [followGeneration, setFollowGeneration] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    setLoading(true);
    call(api.GET('/api/v1/jobs', { params: { query: { name: VERIFY_JOB, all_users: 'true', limit: 1 } } })).then(
      (page) => {
        if (!current) return;
        setJob(page.items[0]);
        setLoading(false);
      },
      (caught: unknown) => {
        if (!current) return;
        setError(caught);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [enabled]);

  const followedId = job !== undefined && isActive(job) ? job.id : undefined;
  useEffect(() => {
    if (followedId === undefined) return;
    let cancelled = false;
    let delay = nextPollDelay(undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async () => {
      try {
        const latest = await call(api.GET('/api/v1/jobs/{id}', { params: { path: { id: followedId } } }));
        if (cancelled) return;
        setJob(latest);
        if (!isActive(latest)) return;
      } catch (caught) {
        if (cancelled) return;
        // Removed or no longer visible: said so, and no longer asked about. A lost connection or a server that is
        // restarting: asked again at the next turn.
        if (caught instanceof ApiError && (caught.status === 410 || caught.status === 404)) {
          setError(caught);
          return;
        }
      }
      delay = nextPollDelay(delay);
      timer = setTimeout(() => void ask(), delay);
    };
    timer = setTimeout(() => void ask(), delay);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [followedId, followGeneration]);

  const reportId = job?.state === 'succeeded' && job.result !== null ? job.id : undefined;
  useEffect(() => {
    if (reportId === undefined) return;
    let current = true;
    call(api.GET('/api/v1/jobs/{id}/result', { params: { path: { id: reportId } } })).then(
      (report) => {
        if (current) setResult(report as VerifyResult);
      },
      (caught: unknown) => {
        if (current) setError(caught);
      },
    );
    return () => {
      current = false;
    };
  }, [reportId]);

  const start = useCallback(async () => {
    setStarting(true);
    setError(undefined);
    try {
      const accepted = await call(api.POST('/api/v1/audit/verify-jobs'));
      setResult(undefined);
      setJob(accepted.job);
      // Asked about from 1 s again, even when the same job was already being followed.
      setFollowGeneration((value) => value + 1);
    } catch (caught) {
      setError(caught);
    } finally {
      setStarting(false);
    }
  }, []);

  return { job, result, loading, error, starting, start };
}
