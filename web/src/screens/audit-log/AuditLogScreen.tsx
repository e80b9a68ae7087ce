import { api, call, fieldErrors, type AuditEntry } from '../../api/client';
import { fieldErrorMessage } from '../../api/fieldErrors';
import { DataTable } from '../../components/DataTable';
import { EmptyState, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, navigate, paths, useLocation } from '../../router';
import { AuditFilters, filterNames, type AuditFilterValues } from './AuditFilters';

const PAGE_SIZE = 50;

function recordPath(entry: AuditEntry): string | undefined {
  if (entry.investigation_id === null) return undefined;
  if (entry.entity_type === 'sites') return paths.site(entry.investigation_id, entry.entity_id);
  if (entry.entity_type === 'items') return paths.item(entry.investigation_id, entry.entity_id);
  return undefined;
}

/**
 * The investigation's audit log: who did what to which record and when, newest first, filtered by record, user,
 * action and period, a page of 50 at a time. The filters live in the address, so a view can be shared.
 */
export function AuditLogScreen({ investigationId }: { investigationId: string }) {
  const { t, label, formatDateTime, formatNumber } = useI18n();
  useDocumentTitle(t('transfer.audit.title'));
  const { query } = useLocation();
  const filters = Object.fromEntries(
    filterNames.map((name) => [name, query.get(name) ?? '']),
  ) as unknown as AuditFilterValues;
  const before = query.get('before') ?? '';
  const members = useLoad(
    () => call(api.GET('/api/v1/investigations/{id}/members', { params: { path: { id: investigationId } } })),
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
              ...(before === '' ? {} : { before_seq: Number(before) }),
              ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== '')),
            },
          },
        }),
      ),
    [investigationId, query.toString()],
  );
  const errors = fieldErrors(page.error, (problem) => fieldErrorMessage(t, problem));
  const go = (values: AuditFilterValues, nextBefore?: number) =>
    navigate(
      paths.auditLog(investigationId, {
        ...values,
        ...(nextBefore === undefined ? {} : { before: String(nextBefore) }),
      }),
    );

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
                  header: t('transfer.audit.position'),
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
                  header: t('transfer.audit.user'),
                  cell: (entry) => <UserText text={entry.actor_label} />,
                },
                { key: 'action', header: t('transfer.audit.action'), cell: (entry) => label('action', entry.action) },
                {
                  key: 'record',
                  header: t('transfer.audit.record'),
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
            {before !== '' && (
              <button type="button" className="button" onClick={() => go(filters)}>
                {t('transfer.audit.newest')}
              </button>
            )}
            {page.data.next_before_seq !== null && (
              <button type="button" className="button" onClick={() => go(filters, page.data!.next_before_seq!)}>
                {t('transfer.audit.older')}
              </button>
            )}
          </p>
        </section>
      )}
    </div>
  );
}
