import type { Me } from '../../api/client';
import { isActive, type Job } from '../../api/jobs';
import { JobProgressBar } from '../../components/JobProgressBar';
import { ErrorNotice, problemMessageKey } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useVerifyJob, type VerifyResult } from './useVerifyJob';

type VerifyProblem = VerifyResult['problems'][number];

const kindExplanation: Record<VerifyProblem['kind'], MessageKey> = {
  broken_link: 'transfer.verify.kind.broken_link',
  gap: 'transfer.verify.kind.gap',
  row_changed: 'transfer.verify.kind.row_changed',
  row_unaudited: 'transfer.verify.kind.row_unaudited',
  checkpoint_mismatch: 'transfer.verify.kind.checkpoint_mismatch',
  checkpoint_signature: 'transfer.verify.kind.checkpoint_signature',
  file_missing: 'transfer.verify.kind.file_missing',
  file_changed: 'transfer.verify.kind.file_changed',
  timestamp_invalid: 'transfer.verify.kind.timestamp_invalid',
};

function ProblemEntry({ problem }: { problem: VerifyProblem }) {
  const { t, label, formatNumber } = useI18n();
  return (
    <li className="verify-problem">
      <p>
        <strong>{t(kindExplanation[problem.kind])}</strong>
      </p>
      <dl className="details">
        {problem.seq !== undefined && (
          <div>
            <dt>{t('transfer.verify.position')}</dt>
            <dd>{formatNumber(problem.seq)}</dd>
          </div>
        )}
        {problem.entity_id !== undefined && (
          <div>
            <dt>{t('transfer.verify.record')}</dt>
            <dd>
              {label('entity', problem.entity_type)} <code dir="ltr">{problem.entity_id}</code>
            </dd>
          </div>
        )}
        {problem.path !== undefined && (
          <div>
            <dt>{t('transfer.verify.file')}</dt>
            <dd>
              <code dir="ltr">{problem.path}</code>
            </dd>
          </div>
        )}
      </dl>
      <p className="notice-detail" dir="ltr" lang="en">
        {problem.message}
      </p>
    </li>
  );
}

const stateLabel: Record<Job['state'], MessageKey> = {
  queued: 'transfer.jobs.state.queued',
  running: 'transfer.verify.running',
  retrying: 'transfer.jobs.state.retrying',
  succeeded: 'transfer.verify.state.succeeded',
  failed: 'transfer.verify.state.failed',
};

/** The latest verify job: its state, when it started and ended, its progress, or its problem and "try again". */
function VerifyJobStatus({ job, retrying, onRetry }: { job: Job; retrying: boolean; onRetry: () => void }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section className="section card verify-job" aria-labelledby="verify-job-title" data-job-id={job.id}>
      <h2 id="verify-job-title">{t('transfer.verify.latest')}</h2>
      <p role="status" className="job-state">
        {t(stateLabel[job.state])}
      </p>
      <p className="muted">
        {t('transfer.verify.startedAt', { time: formatDateTime(job.created_at) })}
        {job.finished_at !== null && (
          <>
            <br />
            {t('transfer.verify.finishedAt', { time: formatDateTime(job.finished_at) })}
          </>
        )}
      </p>
      {job.state !== 'failed' && (
        <JobProgressBar
          job={job}
          label={t('transfer.verify.progressLabel')}
          busyText={t('transfer.verify.progress', { count: job.progress.done ?? 0 })}
        />
      )}
      {job.state === 'failed' && (
        <div className="notice notice-error" role="alert">
          <p>{t(problemMessageKey(job.problem?.code ?? 'internal'))}</p>
          {job.problem !== null && (
            <p className="notice-detail" dir="auto">
              {job.problem.detail}
            </p>
          )}
          <button type="button" className="button" disabled={retrying} onClick={onRetry}>
            {t('transfer.verify.retry')}
          </button>
        </div>
      )}
    </section>
  );
}

function VerifyReport({ result }: { result: VerifyResult }) {
  const { t, formatNumber } = useI18n();
  return (
    <section className="section card" aria-labelledby="verify-result-title">
      <h2 id="verify-result-title">{t('transfer.verify.resultTitle')}</h2>
      <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
        <p>{result.ok ? t('transfer.verify.ok') : t('transfer.verify.problems', { count: result.problems.length })}</p>
      </div>
      <dl className="details">
        <div>
          <dt>{t('transfer.verify.head')}</dt>
          <dd>
            {result.head === null ? (
              t('transfer.verify.emptyChain')
            ) : (
              <>
                {formatNumber(result.head.seq)} · <code dir="ltr">{result.head.hash}</code>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('transfer.verify.checked')}</dt>
          <dd>
            {t('transfer.verify.entries', { count: result.entries })} ·{' '}
            {t('transfer.verify.rows', { count: result.rows_checked })} ·{' '}
            {t('transfer.verify.files', { count: result.files_checked })} ·{' '}
            {t('transfer.verify.checkpoints', { count: result.checkpoints_checked })} ·{' '}
            {t('transfer.verify.timestamps', { count: result.timestamps_checked })}
          </dd>
        </div>
      </dl>
      {result.problems.length > 0 && (
        <ol className="verify-problems">
          {result.problems.map((problem, index) => (
            <ProblemEntry key={index} problem={problem} />
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * Runs verify on the server (administrators) as a job, the same as `armtrace job verify`: the audit chain
 * re-hashed link by link, every record compared with its audited state, every stored original re-hashed. Shows
 * the latest run (kept across a reload: the server lists it), its progress, then each problem found and the head
 * of the chain; a run that failed shows why and "try again". API users keep the synchronous GET /audit/verify.
 */
export function VerifyScreen({ me }: { me: Me }) {
  const { t } = useI18n();
  useDocumentTitle(t('transfer.verify.title'));
  const verify = useVerifyJob(me.is_admin);
  const busy = verify.starting || verify.loading || (verify.job !== undefined && isActive(verify.job));

  return (
    <div className="page">
      <h1>{t('transfer.verify.title')}</h1>
      <p>{t('transfer.verify.intro')}</p>
      {!me.is_admin ? (
        <p className="notice notice-warning">{t('transfer.verify.adminsOnly')}</p>
      ) : (
        <>
          <p>{t('transfer.verify.background')}</p>
          <p>
            <button type="button" className="button button-primary" disabled={busy} onClick={() => void verify.start()}>
              {t('transfer.verify.run')}
            </button>
          </p>
          {verify.loading && (
            <p className="muted" role="status">
              {t('common.loading')}
            </p>
          )}
          <ErrorNotice error={verify.error} />
          {verify.job !== undefined && (
            <VerifyJobStatus job={verify.job} retrying={verify.starting} onRetry={() => void verify.start()} />
          )}
        </>
      )}
      {verify.result !== undefined && <VerifyReport result={verify.result} />}
    </div>
  );
}
