import { useState } from 'react';
import type { ApiError } from '../../api/client';
import { ErrorNotice, problemMessageKey } from '../../components/ui';
import { JobProgressBar, jobStateLabel } from '../../components/JobProgressBar';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { kindOf, requestOf, type DownloadJobs, type Job, type StartRequest } from './useDownloadJobs';

const profileLabel: Record<'internal' | 'partner' | 'public', MessageKey> = {
  internal: 'transfer.jobs.profile.internal',
  partner: 'transfer.jobs.profile.partner',
  public: 'transfer.jobs.profile.public',
};

const languageName: Record<'en' | 'ar' | 'fr', string> = { en: 'English', ar: 'العربية', fr: 'Français' };

/** Which file a job prepares, as the user chose it: "BagIt bag, public profile" or "Report (PDF), العربية". */
function useJobTitle(job: Job): string {
  const { t } = useI18n();
  const request = requestOf(job);
  if (request?.kind === 'bag') return t('transfer.jobs.bagTitle', { profile: t(profileLabel[request.profile]) });
  if (request?.kind === 'pdf') return t('transfer.jobs.pdfTitle', { language: languageName[request.lang] });
  return kindOf(job) === 'pdf' ? t('transfer.downloads.pdf') : t('transfer.downloads.bag');
}

function JobEntry({
  job,
  gone,
  onRetry,
}: {
  job: Job;
  gone: ApiError | undefined;
  onRetry: (request: StartRequest) => Promise<void>;
}) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const title = useJobTitle(job);
  const request = requestOf(job);
  const [retrying, setRetrying] = useState(false);
  const headingId = `job-${job.id}`;
  const failed = gone !== undefined || job.state === 'failed';
  const retry = async () => {
    if (request === undefined) return;
    setRetrying(true);
    try {
      await onRetry(request);
    } finally {
      setRetrying(false);
    }
  };
  return (
    <li className="job-entry" aria-labelledby={headingId} data-job-id={job.id}>
      <h3 id={headingId}>{title}</h3>
      <p className="muted">{t('transfer.jobs.askedAt', { time: formatDateTime(job.created_at) })}</p>
      <p role="status" className="job-state">
        {gone !== undefined ? t('transfer.jobs.state.gone') : t(jobStateLabel[job.state])}
      </p>
      {gone === undefined && job.state !== 'failed' && (
        <JobProgressBar job={job} label={t('transfer.jobs.progressLabel', { what: title })} />
      )}
      {gone === undefined && job.state === 'succeeded' && job.result !== null && (
        <p>
          <a className="button" href={job.result.url} download={job.result.file}>
            {t('transfer.jobs.download', {
              // A file name is isolated (FSI … PDI) so that its Latin letters and dashes keep their order in Arabic.
              name: `\u2068${job.result.file}\u2069`,
              size: formatNumber(Math.ceil(job.result.bytes / 1024)),
            })}
          </a>
        </p>
      )}
      {failed && (
        <div className="notice notice-error" role="alert">
          <p>
            {gone !== undefined
              ? t(problemMessageKey(gone.problem.code))
              : job.problem?.code === 'program_missing' && kindOf(job) === 'pdf'
                ? t('transfer.downloads.pdfUnavailable')
                : t(problemMessageKey(job.problem?.code ?? 'internal'))}
          </p>
          {(gone?.problem.detail ?? job.problem?.detail) !== undefined && (
            <p className="notice-detail" dir="auto">
              {gone?.problem.detail ?? job.problem?.detail}
            </p>
          )}
          {request !== undefined && (
            <button type="button" className="button" disabled={retrying} onClick={() => void retry()}>
              {t('transfer.jobs.retry', { what: title })}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/**
 * The files the server prepared or is preparing for the user (the bag, the PDF report), newest first: each with
 * its state and progress, a download link once ready, the problem and "try again" when it failed or was removed.
 */
export function PreparedFiles({ jobs }: { jobs: DownloadJobs }) {
  const { t } = useI18n();
  const [retryError, setRetryError] = useState<unknown>();
  const onRetry = async (request: StartRequest) => {
    setRetryError(undefined);
    try {
      await jobs.start(request);
    } catch (error) {
      setRetryError(error);
    }
  };
  return (
    <section className="section card prepared-files" aria-labelledby="prepared-files">
      <h2 id="prepared-files">{t('transfer.jobs.title')}</h2>
      <p>{t('transfer.jobs.intro')}</p>
      {!jobs.loading && jobs.loadError === undefined && (
        <p className="muted">{t('transfer.jobs.count', { count: jobs.jobs.length })}</p>
      )}
      <ErrorNotice error={jobs.loadError} />
      <ErrorNotice error={retryError} />
      {jobs.jobs.length > 0 && (
        <ul className="job-list">
          {jobs.jobs.map((job) => (
            <JobEntry key={job.id} job={job} gone={jobs.gone[job.id]} onRetry={onRetry} />
          ))}
        </ul>
      )}
      {jobs.loading && (
        <p className="muted" role="status">
          {t('common.loading')}
        </p>
      )}
      {jobs.hasMore && !jobs.loading && (
        <button type="button" className="button" onClick={() => void jobs.loadMore()}>
          {t('transfer.jobs.more')}
        </button>
      )}
    </section>
  );
}
