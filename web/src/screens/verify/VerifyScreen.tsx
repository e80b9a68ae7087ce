import { useState } from 'react';
import { api, call, type Me, type ResponseOf } from '../../api/client';
import { TransferProgressBar } from '../../components/TransferProgress';
import { ErrorNotice } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';

type VerifyResult = ResponseOf<'/api/v1/audit/verify'>;
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

/**
 * Runs verify on the server (administrators): the audit chain re-hashed link by link, every record compared with
 * its audited state, every stored original re-hashed; shows each problem found and the head of the chain.
 */
export function VerifyScreen({ me }: { me: Me }) {
  const { t, formatNumber } = useI18n();
  useDocumentTitle(t('transfer.verify.title'));
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<VerifyResult | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);

  const run = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setResult(await call(api.GET('/api/v1/audit/verify')));
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="page">
      <h1>{t('transfer.verify.title')}</h1>
      <p>{t('transfer.verify.intro')}</p>
      {!me.is_admin ? (
        <p className="notice notice-warning">{t('transfer.verify.adminsOnly')}</p>
      ) : (
        <section className="section card">
          <button type="button" className="button button-primary" disabled={running} onClick={() => void run()}>
            {t('transfer.verify.run')}
          </button>
          {running && <TransferProgressBar label={t('transfer.verify.running')} progress={undefined} />}
          <ErrorNotice error={error} />
        </section>
      )}
      {result !== undefined && (
        <section className="section card" aria-labelledby="verify-result-title">
          <h2 id="verify-result-title">{t('transfer.verify.resultTitle')}</h2>
          <div className={`notice ${result.ok ? 'notice-success' : 'notice-error'}`} role="status">
            <p>
              {result.ok ? t('transfer.verify.ok') : t('transfer.verify.problems', { count: result.problems.length })}
            </p>
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
      )}
    </div>
  );
}
