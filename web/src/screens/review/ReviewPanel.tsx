import { useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import { ArchiveButton } from '../../components/record/ArchiveButton';
import { Detail, ErrorNotice, Loading } from '../../components/ui';
import { useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { reviewStep, unpublishRecord, type ReviewKind, type ReviewStatus, type ReviewStep } from './reviewApi';

/** A step that failed for want of a connection: it may or may not have reached the server. */
const lostOnTheWay = (error: unknown) => error instanceof ApiError && error.problem.code === 'network';

/**
 * A record's review on its page: its state, who verified it and when (after a correction, the last verified
 * version stays named), who published it, and the one next step the user may take (nothing when their role or
 * authorship does not allow it; the server checks again).
 */
export function ReviewPanel({
  kind,
  recordId,
  refreshKey,
  title,
  headingLevel = 2,
}: {
  kind: ReviewKind;
  recordId: string;
  /** The record's version: a correction reloads the panel. */
  refreshKey: number;
  /** The heading; "Review" when not given (a panel for one of several records names it). */
  title?: string;
  /** The heading's level where the panel sits (2 on a record's page, 3 or 4 inside a section). */
  headingLevel?: 2 | 3 | 4;
}) {
  const { t } = useI18n();
  const status = useLoad(
    () => call(api.GET('/api/v1/records/{kind}/{id}/review', { params: { path: { kind, id: recordId } } })),
    [kind, recordId, refreshKey],
  );
  const [done, setDone] = useState<ReviewStep | 'unpublish' | undefined>(undefined);
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
      // The answer was lost, not necessarily the step: show what the server holds now rather than assume.
      if (lostOnTheWay(error)) status.reload();
    } finally {
      setBusy(false);
    }
  };
  const unpublish = async (reason: string, current: ReviewStatus) => {
    setFailed(undefined);
    setDone(undefined);
    await unpublishRecord(kind, recordId, current.version, reason);
    setDone('unpublish');
    status.reload();
  };
  const Heading = `h${headingLevel}` as const;

  return (
    <section className="section review-panel" aria-labelledby={`review-${recordId}-title`} data-testid="review-panel">
      <Heading id={`review-${recordId}-title`}>{title ?? t('review.panel.title')}</Heading>
      {status.error !== undefined && <ErrorNotice error={status.error} />}
      {status.data === undefined ? (
        status.error === undefined && <Loading />
      ) : (
        <ReviewDetails
          status={status.data}
          busy={busy}
          onStep={(step) => void run(step, status.data!)}
          onUnpublish={(reason) => unpublish(reason, status.data!)}
        />
      )}
      <div aria-live="polite">
        {done !== undefined && <p className="notice notice-success">{t(`review.done.${done}`)}</p>}
      </div>
      {failed !== undefined && lostOnTheWay(failed) && (
        <p className="notice notice-error" role="alert" data-testid="review-not-sent">
          {t('review.notSent')}
        </p>
      )}
      {failed !== undefined && !lostOnTheWay(failed) && <ErrorNotice error={failed} />}
    </section>
  );
}

function ReviewDetails({
  status,
  busy,
  onStep,
  onUnpublish,
}: {
  status: ReviewStatus;
  busy: boolean;
  onStep: (step: ReviewStep) => void;
  onUnpublish: (reason: string) => Promise<void>;
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
        {status.unpublished !== null && (
          <Detail term={t('review.panel.unpublishedTerm')}>
            <span data-testid="review-unpublished">
              {t('review.panel.unpublished', {
                name: name(status.unpublished.by),
                date: formatDateTime(status.unpublished.at),
              })}{' '}
              <bdi dir="auto">{status.unpublished.reason}</bdi>
            </span>
          </Detail>
        )}
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
        {status.allowed.unpublish && (
          <ArchiveButton
            label={t('review.action.unpublish')}
            title={t('review.unpublish.title')}
            intro={t('review.unpublish.intro')}
            confirmLabel={t('review.unpublish.confirm')}
            danger={false}
            disabled={busy}
            onArchive={onUnpublish}
          />
        )}
      </div>
    </>
  );
}
