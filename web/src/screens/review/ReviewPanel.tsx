import { useState } from 'react';
import { api, call } from '../../api/client';
import { Detail, ErrorNotice, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { reviewStep, type ReviewKind, type ReviewStatus, type ReviewStep } from './reviewApi';

/**
 * A record's review on its page: its state, who verified it and when (after a correction, the last verified
 * version stays named), who published it, and the one next step the user may take (nothing when their role or
 * authorship does not allow it; the server checks again).
 */
export function ReviewPanel({
  kind,
  recordId,
  refreshKey,
}: {
  kind: ReviewKind;
  recordId: string;
  /** The record's version: a correction reloads the panel. */
  refreshKey: number;
}) {
  const { t } = useI18n();
  const status = useLoad(
    () => call(api.GET('/api/v1/records/{kind}/{id}/review', { params: { path: { kind, id: recordId } } })),
    [kind, recordId, refreshKey],
  );
  const [done, setDone] = useState<ReviewStep | undefined>(undefined);
  const [failed, setFailed] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (step: ReviewStep, current: ReviewStatus) => {
    setBusy(true);
    setFailed(undefined);
    setDone(undefined);
    try {
      await reviewStep(step, kind, recordId, current.version);
      setDone(step);
      status.reload();
    } catch (error) {
      setFailed(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section review-panel" aria-labelledby={`review-${recordId}-title`} data-testid="review-panel">
      <h2 id={`review-${recordId}-title`}>{t('review.panel.title')}</h2>
      {status.error !== undefined && <ErrorNotice error={status.error} />}
      {status.data === undefined ? (
        status.error === undefined && <Loading />
      ) : (
        <ReviewDetails status={status.data} busy={busy} onStep={(step) => void run(step, status.data!)} />
      )}
      <div aria-live="polite">
        {done !== undefined && <p className="notice notice-success">{t(`review.done.${done}`)}</p>}
      </div>
      {failed !== undefined && <ErrorNotice error={failed} />}
    </section>
  );
}

function ReviewDetails({
  status,
  busy,
  onStep,
}: {
  status: ReviewStatus;
  busy: boolean;
  onStep: (step: ReviewStep) => void;
}) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const verified = status.verified;
  const name = (user: { username: string; display_name: string }) => user.display_name || user.username;
  return (
    <>
      <dl className="details">
        <Detail term={t('review.panel.state')}>
          <strong className={`review-state review-state-${status.state}`} data-testid="review-state">
            {t(`review.state.${status.state}`)}
          </strong>
        </Detail>
        <Detail term={t('review.panel.verification')}>
          {verified === null ? (
            <span className="muted">{t('review.panel.notVerified')}</span>
          ) : (
            <span data-testid="review-verified">
              {t(verified.current ? 'review.panel.verified' : 'review.panel.lastVerified', {
                name: name(verified.by),
                date: formatDateTime(verified.at),
                version: formatNumber(verified.version),
              })}
            </span>
          )}
        </Detail>
        <Detail term={t('review.panel.publication')}>
          {status.published === null || status.state !== 'published' ? (
            <span className="muted">{t('review.panel.notPublished')}</span>
          ) : (
            t('review.panel.published', {
              name: name(status.published.by),
              date: formatDateTime(status.published.at),
            })
          )}
        </Detail>
      </dl>
      {status.refusal === 'own_record' && <p className="muted">{t('review.panel.ownRecord')}</p>}
      {status.refusal === 'publication_rule' && <p className="muted">{t('review.panel.ruleNeedsVerification')}</p>}
      <div className="actions">
        {status.allowed.submit && (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => onStep('submit')}>
            {t('review.action.submit')}
          </button>
        )}
        {status.allowed.verify && (
          <button type="button" className="button button-primary" disabled={busy} onClick={() => onStep('verify')}>
            {t('review.action.verify', { version: formatNumber(status.version) })}
          </button>
        )}
        {status.allowed.publish && (
          <button type="button" className="button" disabled={busy} onClick={() => onStep('publish')}>
            {t('review.action.publish')}
          </button>
        )}
      </div>
    </>
  );
}
