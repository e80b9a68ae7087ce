import { useMemo, useState } from 'react';
import { api, call, readAllPages } from '../../api/client';
import { traceRequestStatuses, type TraceStatus } from './vocabulary';
import { EmptyState, ErrorNotice, Field, Loading, VocabularySelect } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { useAccess, useActors } from './data';
import { ageInDays, sortTraceRequests, todayUtc, traceSortKeys, type TraceSortKey } from './model';
import { tracingPaths } from './paths';
import { RemindersSection } from './RemindersSection';

const pageSize = 25;

const columns: { key: TraceSortKey; label: MessageKey }[] = [
  { key: 'subject', label: 'trace.subject' },
  { key: 'addressee', label: 'traceList.addressee' },
  { key: 'status', label: 'trace.status' },
  { key: 'age', label: 'traceList.age' },
  { key: 'due', label: 'trace.due' },
];

const sortLabels: Record<TraceSortKey, MessageKey> = {
  overdue: 'traceList.sortOverdue',
  subject: 'trace.subject',
  addressee: 'traceList.addressee',
  status: 'trace.status',
  age: 'traceList.age',
  due: 'trace.due',
};

/** The trace requests of an investigation: filtered by status, addressee and overdue, overdue first by default. */
export function TraceRequestsPage({ investigationId }: { investigationId: string }) {
  const { t, label, formatDate, locale } = useI18n();
  useDocumentTitle(t('trace.title'));
  const access = useAccess(investigationId);
  const actors = useActors(investigationId);
  const [status, setStatus] = useState('');
  const [addresseeId, setAddresseeId] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [includeArchived, setIncludeArchived] = useState(false);
  const [sort, setSort] = useState<{ key: TraceSortKey; ascending: boolean }>({ key: 'overdue', ascending: true });
  const [page, setPage] = useState(0);
  const requests = useLoad(
    async () =>
      readAllPages((after) =>
        call(
          api.GET('/api/v1/investigations/{id}/trace-requests', {
            params: {
              path: { id: investigationId },
              query: {
                limit: 500,
                after,
                status: status === '' ? undefined : (status as TraceStatus),
                addressee_id: addresseeId === '' ? undefined : addresseeId,
                overdue: overdueOnly ? 'true' : 'false',
                include_archived: includeArchived ? 'true' : 'false',
              },
            },
          }),
        ),
      ),
    [investigationId, status, addresseeId, overdueOnly, includeArchived],
  );
  const today = todayUtc();
  const collator = useMemo(() => new Intl.Collator(locale), [locale]);
  const sorted = useMemo(
    () => sortTraceRequests(requests.data?.rows ?? [], sort.key, sort.ascending, collator.compare, today),
    [requests.data, sort, collator, today],
  );
  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  const currentPage = Math.min(page, pageCount - 1);
  const shown = sorted.slice(currentPage * pageSize, (currentPage + 1) * pageSize);
  const filtered = (apply: () => void) => {
    apply();
    setPage(0);
  };
  const toggleSort = (key: TraceSortKey) => {
    setSort((previous) => ({ key, ascending: previous.key === key ? !previous.ascending : true }));
    setPage(0);
  };

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={tracingPaths.lots(investigationId)}>{t('lots.title')}</Link>
        </p>
        <h1>{t('trace.title')}</h1>
        {access.canAdd && (
          <p>
            <Link className="button button-primary" to={tracingPaths.create(investigationId)}>
              {t('traceNew.title')}
            </Link>
          </p>
        )}
      </header>

      <RemindersSection investigationId={investigationId} />

      <section className="section" aria-labelledby="trace-list-title">
        <h2 id="trace-list-title">{t('traceList.all')}</h2>
        <div className="filters" role="search" aria-label={t('traceList.filters')}>
          <Field label={t('trace.status')}>
            {(control) => (
              <VocabularySelect
                control={control}
                group="traceStatus"
                values={traceRequestStatuses}
                value={status}
                allowEmpty
                emptyLabel={t('common.all')}
                onChange={(value) => filtered(() => setStatus(value))}
              />
            )}
          </Field>
          <Field label={t('traceList.addressee')}>
            {(control) => (
              <select
                {...control}
                value={addresseeId}
                onChange={(event) => filtered(() => setAddresseeId(event.target.value))}
              >
                <option value="">{t('common.all')}</option>
                {(actors.data ?? []).map((actor) => (
                  <option key={actor.id} value={actor.id}>
                    {actor.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('traceList.sortBy')}>
            {(control) => (
              <select
                {...control}
                value={`${sort.key}:${sort.ascending ? 'asc' : 'desc'}`}
                onChange={(event) => {
                  const [key, direction] = event.target.value.split(':') as [TraceSortKey, string];
                  setSort({ key, ascending: direction === 'asc' });
                  setPage(0);
                }}
              >
                {traceSortKeys.flatMap((key) =>
                  (['asc', 'desc'] as const).map((direction) => (
                    <option key={`${key}:${direction}`} value={`${key}:${direction}`}>
                      {t(direction === 'asc' ? 'traceList.ascending' : 'traceList.descending', {
                        column: t(sortLabels[key]),
                      })}
                    </option>
                  )),
                )}
              </select>
            )}
          </Field>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={overdueOnly}
              onChange={(event) => filtered(() => setOverdueOnly(event.target.checked))}
            />{' '}
            {t('traceList.overdueOnly')}
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeArchived}
              onChange={(event) => filtered(() => setIncludeArchived(event.target.checked))}
            />{' '}
            {t('traceList.includeArchived')}
          </label>
        </div>
        {requests.error !== undefined && <ErrorNotice error={requests.error} />}
        {requests.data === undefined && requests.error === undefined && <Loading />}
        {requests.data !== undefined &&
          (sorted.length === 0 ? (
            <EmptyState>{t('traceList.empty')}</EmptyState>
          ) : (
            <>
              <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="trace-list-title">
                <table className="trace-request-table">
                  <caption className="visually-hidden">{t('traceList.caption')}</caption>
                  <thead>
                    <tr>
                      {columns.map((column) => (
                        <th
                          key={column.key}
                          scope="col"
                          aria-sort={
                            sort.key === column.key ? (sort.ascending ? 'ascending' : 'descending') : undefined
                          }
                        >
                          <button type="button" className="sort-button" onClick={() => toggleSort(column.key)}>
                            {t(column.label)}
                            <span aria-hidden="true" className="sort-indicator">
                              {sort.key === column.key ? (sort.ascending ? '▲' : '▼') : ''}
                            </span>
                          </button>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((request) => (
                      <tr key={request.id} data-testid="trace-request-row">
                        <td>
                          <Link to={tracingPaths.request(investigationId, request.id)}>
                            <bdi dir="auto">{request.subject}</bdi>
                          </Link>
                          {request.archived_at !== null && (
                            <span className="badge">{t('traceDetail.archivedBadge')}</span>
                          )}
                        </td>
                        <td>
                          <bdi dir="auto">{request.addressee_name}</bdi>
                        </td>
                        <td>
                          {label('traceStatus', request.status)}
                          {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
                        </td>
                        <td>{t('traceList.ageDays', { count: ageInDays(request, today) })}</td>
                        <td>{request.due_on === null ? '' : formatDate(request.due_on)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pagination" aria-label={t('traceList.pagination')}>
                <button type="button" disabled={currentPage === 0} onClick={() => setPage(currentPage - 1)}>
                  {t('inventory.previous')}
                </button>
                <span aria-live="polite">
                  {t('traceList.pageOf', { page: currentPage + 1, pages: pageCount, count: sorted.length })}
                </span>
                <button type="button" disabled={currentPage >= pageCount - 1} onClick={() => setPage(currentPage + 1)}>
                  {t('inventory.next')}
                </button>
              </nav>
              {requests.data.truncated && <p className="muted">{t('inventory.truncated')}</p>}
            </>
          ))}
      </section>
    </div>
  );
}
