import { api, call, fieldErrors, type AuditEntry } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { DataTable } from '../../components/DataTable';
import { readSort, toggledSort, type ServerSort } from '../../components/serverList';
import { SortMenu } from '../../components/ServerListParts';
import { EmptyState, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, useLocation } from '../../router';
import { AuditFilters, filterNames, type AuditFilterValues } from './AuditFilters';

const PAGE_SIZE = 50;
const auditSortKeys = ['seq', 'action', 'user', 'record'] as const;
type AuditSortKey = (typeof auditSortKeys)[number];
const newestFirst: ServerSort<AuditSortKey> = { key: 'seq', order: 'desc' };

function recordPath(entry: AuditEntry): string | undefined {
  if (entry.investigation_id === null) return undefined;
  if (entry.entity_type === 'sites') return paths.site(entry.investigation_id, entry.entity_id);
  if (entry.entity_type === 'items') return paths.item(entry.investigation_id, entry.entity_id);
  return undefined;
}

/**
 * The investigation's audit log: who did what to which record and when, newest first or sorted by the server by
 * action, user or kind of record, filtered by record, user, action and period, a page of 50 at a time. The
 * filters, the sort and the page live in the address, so a view can be shared.
 */
export function AuditLogScreen({ investigationId }: { investigationId: string }) {
  const { t, label, formatDateTime, formatNumber } = useI18n();
  useDocumentTitle(t('transfer.audit.title'));
  const { query } = useLocation();
  const filters = Object.fromEntries(
    filterNames.map((name) => [name, query.get(name) ?? '']),
  ) as unknown as AuditFilterValues;
  const after = query.get('after') ?? '';
  const sort = readSort(query, auditSortKeys, newestFirst);
  const members = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/members', {
          params: { path: { id: investigationId }, query: { limit: 500 } },
        }),
      ),
    [investigationId],
  );
  const page = useLoad(
    () =>
      call(
        api.GET('/api/v1/investigations/{id}/audit', {
          params: {
            path: { id: investigationId },
            query: {
              limit: PAGE_SIZE,
              sort: sort.key,
              order: sort.order,
              ...(after === '' ? {} : { after_seq: Number(after) }),
              ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== '')),
            },
          },
        }),
      ),
    [investigationId, query.toString()],
  );
  const errors = fieldErrors(page.error, (problem) => fieldErrorMessage(t, problem));
  const go = (values: AuditFilterValues, nextAfter?: number, nextSort: ServerSort<AuditSortKey> = sort) =>
    navigate(
      paths.auditLog(investigationId, {
        ...values,
        ...(nextSort.key === newestFirst.key && nextSort.order === newestFirst.order
          ? {}
          : { sort: nextSort.key, order: nextSort.order }),
        ...(nextAfter === undefined ? {} : { after: String(nextAfter) }),
      }),
    );
  /** A column header that sorts the log by `key` (a click turns the order round), from the first page. */
  const sortable = (key: AuditSortKey, label: string) => {
    const active = sort.key === key;
    return {
      sorted: active ? (sort.order === 'asc' ? ('ascending' as const) : ('descending' as const)) : undefined,
      header: (
        <button type="button" className="sort-button" onClick={() => go(filters, undefined, toggledSort(sort, key))}>
          {label}
          <span aria-hidden="true" className="sort-indicator">
            {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
          </span>
        </button>
      ),
    };
  };
  const labels: Record<AuditSortKey, string> = {
    seq: t('transfer.audit.position'),
    action: t('transfer.audit.action'),
    user: t('transfer.audit.user'),
    record: t('transfer.audit.record'),
  };

  return (
    <div className="page">
      <h1>{t('transfer.audit.title')}</h1>
      <AuditFilters
        key={query.toString()}
        values={filters}
        members={(members.data?.items ?? []).map((member) => ({ user_id: member.user_id, username: member.username }))}
        errors={errors}
        onApply={(values) => go(values)}
      />
      <div className="filters">
        <SortMenu list={{ sort, setSort: (next) => go(filters, undefined, next) }} labels={labels} />
      </div>
      {page.error !== undefined && Object.keys(errors).length === 0 && <ErrorNotice error={page.error} />}
      {page.data === undefined ? (
        page.error === undefined && <Loading />
      ) : page.data.items.length === 0 ? (
        <EmptyState>{t('transfer.audit.none')}</EmptyState>
      ) : (
        <section className="section" aria-labelledby="audit-entries-title">
          <h2 id="audit-entries-title">{t('transfer.audit.entries', { count: page.data.items.length })}</h2>
          <div className="table-wrap">
            <DataTable
              rows={page.data.items}
              rowKey={(entry) => String(entry.seq)}
              columns={[
                {
                  key: 'seq',
                  ...sortable('seq', labels.seq),
                  numeric: true,
                  cell: (entry) => formatNumber(entry.seq),
                },
                {
                  key: 'at',
                  header: t('transfer.audit.when'),
                  cell: (entry) => <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>,
                },
                {
                  key: 'user',
                  ...sortable('user', labels.user),
                  cell: (entry) => <UserText text={entry.actor_label} />,
                },
                {
                  key: 'action',
                  ...sortable('action', labels.action),
                  cell: (entry) => label('action', entry.action),
                },
                {
                  key: 'record',
                  ...sortable('record', labels.record),
                  cell: (entry) => {
                    const to = recordPath(entry);
                    const name = label('entity', entry.entity_type);
                    return (
                      <span className="audit-record">
                        {to === undefined ? name : <Link to={to}>{name}</Link>}{' '}
                        <Link
                          to={paths.auditLog(investigationId, { entity_id: entry.entity_id })}
                          title={entry.entity_id}
                        >
                          <span className="visually-hidden">
                            {t('transfer.audit.onlyThisRecord', { record: name })}{' '}
                          </span>
                          <code dir="ltr">{entry.entity_id.slice(-8)}</code>
                        </Link>
                      </span>
                    );
                  },
                },
              ]}
            />
          </div>
          <p className="actions">
            {after !== '' && (
              <button type="button" className="button" onClick={() => go(filters)}>
                {t(sort.key === 'seq' && sort.order === 'desc' ? 'transfer.audit.newest' : 'transfer.audit.firstPage')}
              </button>
            )}
            {page.data.next_after_seq !== null && (
              <button type="button" className="button" onClick={() => go(filters, page.data!.next_after_seq!)}>
                {t(sort.key === 'seq' && sort.order === 'desc' ? 'transfer.audit.older' : 'inventory.next')}
              </button>
            )}
          </p>
        </section>
      )}
    </div>
  );
}
