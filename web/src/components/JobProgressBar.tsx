import type { Job } from '../api/jobs';
import { useI18n, type MessageKey } from '../i18n/i18n';

/** A job's state in words (a prepared file's: "Being prepared", "Ready"). */
export const jobStateLabel: Record<Job['state'], MessageKey> = {
  queued: 'transfer.jobs.state.queued',
  running: 'transfer.jobs.state.running',
  retrying: 'transfer.jobs.state.retrying',
  succeeded: 'transfer.jobs.state.succeeded',
  failed: 'transfer.jobs.state.failed',
};

/**
 * How far a job is, as a progress bar that assistive technology reads (role progressbar, its value in per cent
 * and as words): full once done, empty while waiting, busy (no value) while the amount of work is not known, then
 * with `busyText` beside it (what was done so far) or the job's state. The Downloads screen's prepared files and
 * the verify screen show their jobs with it.
 */
export function JobProgressBar({ job, label, busyText }: { job: Job; label: string; busyText?: string | undefined }) {
  const { t, formatNumber } = useI18n();
  const { done, total } = job.progress;
  const known = total !== null && total > 0 && done !== null;
  const percent =
    job.state === 'succeeded'
      ? 100
      : job.state === 'queued'
        ? 0
        : known
          ? Math.min(100, Math.round((done / total) * 100))
          : undefined;
  const text =
    percent === undefined
      ? (busyText ?? t(jobStateLabel[job.state]))
      : t('transfer.jobs.percent', { percent: formatNumber(percent) });
  return (
    <div className="job-progress">
      <div
        className={percent === undefined ? 'job-progress-bar job-progress-busy' : 'job-progress-bar'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent === undefined ? {} : { 'aria-valuenow': percent })}
        aria-valuetext={text}
      >
        <span style={{ inlineSize: `${percent ?? 100}%` }} />
      </div>
      <span aria-hidden="true">{text}</span>
    </div>
  );
}
