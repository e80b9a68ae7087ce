import { useState } from 'react';
import { api, ApiError, call } from '../../api/client';
import { RegisterTable } from '../../components/RegisterTable';
import { useServerList } from '../../components/serverList';
import { EmptyState, ErrorNotice, Field, Loading, UserText } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { PublicationRuleForm } from './PublicationRuleForm';
import { reviewKinds, reviewStep, type ReviewKind, type ReviewQueueEntry } from './reviewApi';

const queueSortKeys = ['updated', 'created', 'kind', 'label'] as const;

function recordPath(investigationId: string, entry: ReviewQueueEntry): string | undefined {
  if (entry.kind === 'site') return paths.site(investigationId, entry.id);
  if (entry.kind === 'item') return paths.item(investigationId, entry.id);
  if (entry.item_id !== null) return paths.item(investigationId, entry.item_id);
  return undefined;
}

/**
 * "Awaiting my review": the records of an investigation others submitted that the user may verify (none of
 * their own, none they changed since the last verification), filtered by kind, sorted by the server, a page at a
 * time, each verified in place at the version shown (the button right after the record's name, so it stays on
 * screen on a phone); and the investigation's publication rule.
 */
export function ReviewQueueScreen({ investigationId }: { investigationId: string }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  useDocumentTitle(t('review.title'));
  const [kind, setKind] = useState<ReviewKind | ''>('');
  const [canVerify, setCanVerify] = useState(true);
  const [verified, setVerified] = useState<ReadonlySet<string>>(new Set());
  const [failed, setFailed] = useState<unknown>(undefined);
  const queue = useServerList({
    keys: queueSortKeys,
    initial: { key: 'updated', order: 'asc' },
    filters: [investigationId, kind],
    load: async ({ after, sort, order, limit }) => {
      const page = await call(
        api.GET('/api/v1/investigations/{id}/review-queue', {
          params: {
            path: { id: investigationId },
            query: { limit, after, sort, order, ...(kind === '' ? {} : { kind }) },
          },
        }),
      );
      setCanVerify(page.can_verify);
      return page;
    },
  });

  const verify = async (entry: ReviewQueueEntry) => {
    setFailed(undefined);
    try {
      await reviewStep('verify', entry.kind, entry.id, entry.version);
      setVerified((before) => new Set([...before, entry.id]));
    } catch (error) {
      setFailed(error);
      // The answer may be what was lost, not the step: read the queue again rather than assume either way.
      if (error instanceof ApiError && error.problem.code === 'network') queue.reload();
    }
  };

  return (
    <section className="page" aria-labelledby="review-title">
      <div className="page-header">
        <h1 id="review-title">{t('review.title')}</h1>
        <p className="lead">{t('review.intro')}</p>
      </div>
      <div className="filters" role="search" aria-label={t('review.filters')}>
        <Field label={t('review.kind')}>
          {(control) => (
            <select {...control} value={kind} onChange={(event) => setKind(event.target.value as ReviewKind | '')}>
              <option value="">{t('common.all')}</option>
              {reviewKinds.map((value) => (
                <option key={value} value={value}>
                  {t(`review.kind.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {failed instanceof ApiError && failed.problem.code === 'network' ? (
        <p className="notice notice-error" role="alert" data-testid="review-not-sent">
          {t('review.queue.notSent')}
        </p>
      ) : (
        failed !== undefined && <ErrorNotice error={failed} />
      )}
      {queue.error !== undefined && <ErrorNotice error={queue.error} />}
      {queue.rows === undefined && queue.error === undefined && <Loading />}
      {queue.rows !== undefined &&
        (queue.rows.length === 0 && !queue.hasPrevious ? (
          <EmptyState>{canVerify ? t('review.empty') : t('review.notReviewer')}</EmptyState>
        ) : (
          <RegisterTable
            caption={t('review.title')}
            list={queue}
            rows={queue.rows}
            rowKey={(entry) => entry.id}
            sortLabels={{
              updated: t('review.column.updated'),
              created: t('review.column.created'),
              kind: t('review.kind'),
              label: t('review.column.record'),
            }}
            columns={[
              {
                key: 'label',
                header: t('review.column.record'),
                sortKey: 'label',
                cell: (entry) => {
                  const to = recordPath(investigationId, entry);
                  const text = <UserText text={entry.label} />;
                  return to === undefined ? text : <Link to={to}>{text}</Link>;
                },
              },
              {
                key: 'action',
                header: t('review.column.action'),
                cell: (entry) =>
                  verified.has(entry.id) ? (
                    <span className="muted">{t('review.verifiedRow')}</span>
                  ) : (
                    <button type="button" onClick={() => void verify(entry)}>
                      {t('review.action.verify', { version: formatNumber(entry.version) })}
                      <span className="visually-hidden"> · {entry.label}</span>
                    </button>
                  ),
              },
              {
                key: 'kind',
                header: t('review.kind'),
                sortKey: 'kind',
                cell: (entry) => t(`review.kind.${entry.kind}`),
              },
              {
                key: 'author',
                header: t('review.column.author'),
                cell: (entry) => <UserText text={entry.created_by.display_name || entry.created_by.username} />,
              },
              {
                key: 'updated',
                header: t('review.column.updated'),
                sortKey: 'updated',
                cell: (entry) => <time dateTime={entry.updated_at}>{formatDateTime(entry.updated_at)}</time>,
              },
              {
                key: 'note',
                header: t('review.column.note'),
                cell: (entry) =>
                  entry.verified_version === null
                    ? ''
                    : t('review.correctionOf', { version: formatNumber(entry.verified_version) }),
              },
            ]}
          />
        ))}
      <PublicationRuleForm investigationId={investigationId} />
    </section>
  );
}
