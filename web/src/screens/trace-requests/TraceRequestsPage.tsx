import { useState } from 'react';
import { api, call } from '../../api/client';
import { useServerList } from '../../components/serverList';
import { IncludeArchivedField, ServerListBody } from '../../components/RegisterListParts';
import { PageNav, SortHeader, SortMenu } from '../../components/ServerListParts';
import { traceRequestStatuses, type TraceStatus } from './vocabulary';
import { Field, VocabularySelect } from '../../components/ui';
import { useDocumentTitle } from '../../hooks';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { useAccess, useActors } from './data';
import { ageInDays, todayUtc, type TraceSortKey } from './model';
import { tracingPaths } from './paths';
import { RemindersSection } from './RemindersSection';

const sortKeys = ['overdue', 'status', 'addressee', 'age', 'due', 'subject', 'created'] as const;
type ServerTraceSortKey = (typeof sortKeys)[number];

const columns: { key: TraceSortKey; label: MessageKey }[] = [
  { key: 'subject', label: 'trace.subject' },
  { key: 'addressee', label: 'traceList.addressee' },
  { key: 'status', label: 'trace.status' },
  { key: 'age', label: 'traceList.age' },
  { key: 'due', label: 'trace.due' },
];

const sortLabels: Record<ServerTraceSortKey, MessageKey> = {
  created: 'list.created',
  overdue: 'traceList.sortOverdue',
  subject: 'trace.subject',
  addressee: 'traceList.addressee',
  status: 'trace.status',
  age: 'traceList.age',
  due: 'trace.due',
};

/**
 * The trace requests of an investigation, a page at a time: filtered by status, addressee and overdue, sorted by the
 * server (overdue first by default; the sort is kept in the URL).
 */
export function TraceRequestsPage({ investigationId }: { investigationId: string }) {
  const { t, label, formatDate } = useI18n();
  useDocumentTitle(t('trace.title'));
  const access = useAccess(investigationId);
  const actors = useActors(investigationId);
  const [status, setStatus] = useState('');
  const [addresseeId, setAddresseeId] = useState('');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [includeArchived, setIncludeArchived] = useState(false);
  const requests = useServerList({
    keys: sortKeys,
    initial: { key: 'overdue', order: 'asc' },
    filters: [investigationId, status, addresseeId, overdueOnly, includeArchived],
    load: ({ after, sort, order, limit }) =>
      call(
        api.GET('/api/v1/investigations/{id}/trace-requests', {
          params: {
            path: { id: investigationId },
            query: {
              limit,
              after,
              sort,
              order,
              status: status === '' ? undefined : (status as TraceStatus),
              addressee_id: addresseeId === '' ? undefined : addresseeId,
              overdue: overdueOnly ? 'true' : 'false',
              include_archived: includeArchived ? 'true' : 'false',
            },
          },
        }),
      ),
  });
  const today = todayUtc();
  const shown = requests.rows ?? [];
  const labels = Object.fromEntries(sortKeys.map((key) => [key, t(sortLabels[key])])) as Record<
    ServerTraceSortKey,
    string
  >;

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
                onChange={setStatus}
              />
            )}
          </Field>
          <Field label={t('traceList.addressee')}>
            {(control) => (
              <select {...control} value={addresseeId} onChange={(event) => setAddresseeId(event.target.value)}>
                <option value="">{t('common.all')}</option>
                {(actors.data ?? []).map((actor) => (
                  <option key={actor.id} value={actor.id}>
                    {actor.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SortMenu list={requests} labels={labels} />
          <label className="checkbox">
            <input type="checkbox" checked={overdueOnly} onChange={(event) => setOverdueOnly(event.target.checked)} />{' '}
            {t('traceList.overdueOnly')}
          </label>
          <IncludeArchivedField
            checked={includeArchived}
            onChange={setIncludeArchived}
            label={t('traceList.includeArchived')}
            className="checkbox"
          />
        </div>
        <ServerListBody list={requests} rows={shown} empty={t('traceList.empty')}>
          <>
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="trace-list-title">
              <table className="trace-request-table">
                <caption className="visually-hidden">{t('traceList.caption')}</caption>
                <thead>
                  <tr>
                    {columns.map((column) => (
                      <SortHeader key={column.key} list={requests} sortKey={column.key} label={t(column.label)} />
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
            <PageNav list={requests} caption={t('traceList.caption')} />
          </>
        </ServerListBody>
      </section>
    </div>
  );
}
