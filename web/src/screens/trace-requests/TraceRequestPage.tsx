import { useState } from 'react';
import { api, call, type TraceRequest } from '../../api/client';
import { Detail, ErrorNotice, Loading, UserText } from '../../components/ui';
import { useDocumentTitle, useLoad } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { Link, paths } from '../../router';
import { ArchiveRecord } from './ArchiveRecord';
import { useAccess, useActors } from './data';
import { DocumentsSection } from './DocumentsSection';
import { EditTraceRequestForm } from './EditTraceRequestForm';
import { HistorySection } from './HistorySection';
import { tracingPaths } from './paths';
import { StaleEdit } from './StaleEdit';
import { WorkflowPanel } from './WorkflowPanel';

const comparedFields = ['subject', 'addressee_name', 'lot_marking', 'status', 'sent_on', 'due_on', 'response_text'];

/** One trace request: where it stands, moving it on, its documents, its items, its history; edit and archive. */
export function TraceRequestPage({ investigationId, requestId }: { investigationId: string; requestId: string }) {
  const { t, label, formatDate } = useI18n();
  const loaded = useLoad(
    () => call(api.GET('/api/v1/trace-requests/{id}', { params: { path: { id: requestId } } })),
    [requestId],
  );
  const access = useAccess(investigationId);
  const actors = useActors(investigationId);
  const [current, setCurrent] = useState<TraceRequest | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const [stale, setStale] = useState<{ mine: Partial<TraceRequest> } | undefined>(undefined);
  const request = current !== undefined && current.version >= (loaded.data?.version ?? 0) ? current : loaded.data;
  useDocumentTitle(request?.subject);
  if (loaded.error !== undefined) return <ErrorNotice error={loaded.error} />;
  if (request === undefined) return <Loading />;

  const changed = (next: TraceRequest) => {
    setCurrent(next);
    setEditing(false);
    setStale(undefined);
  };
  const conflict = (mine: Partial<TraceRequest>) => {
    setStale({ mine });
    setEditing(false);
    loaded.reload();
    setCurrent(undefined);
  };
  const canChange = access.canChange(request) && request.archived_at === null;

  return (
    <div className="page">
      <header className="page-header">
        <p className="breadcrumb">
          <Link to={paths.overview(investigationId)}>{t('nav.overview')}</Link> ·{' '}
          <Link to={tracingPaths.list(investigationId)}>{t('trace.title')}</Link>
        </p>
        <h1>
          <bdi dir="auto">{request.subject}</bdi>
        </h1>
        <p>
          <span className="badge" data-testid="trace-status">
            {label('traceStatus', request.status)}
          </span>{' '}
          {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
        </p>
        {request.archived_at !== null && (
          <p className="notice notice-warning">
            {t('traceDetail.archived')} <bdi dir="auto">{request.archive_reason}</bdi>
          </p>
        )}
      </header>

      {stale !== undefined && (
        <StaleEdit fields={comparedFields} mine={stale.mine} theirs={request} onDismiss={() => setStale(undefined)} />
      )}

      <section className="section" aria-labelledby="trace-details-title">
        <h2 id="trace-details-title">{t('traceDetail.details')}</h2>
        <dl className="details">
          <Detail term={t('traceList.addressee')}>
            <UserText text={request.addressee_name} />
          </Detail>
          <Detail term={t('traceNew.lot')}>
            {request.lot_marking === null ? (
              <UserText text={null} />
            ) : (
              <Link to={tracingPaths.lot(investigationId, request.lot_marking)}>
                <bdi dir="auto">{request.lot_marking}</bdi>
              </Link>
            )}
          </Detail>
          <Detail term={t('trace.sent')}>
            {request.sent_on === null ? <UserText text={null} /> : formatDate(request.sent_on)}
          </Detail>
          <Detail term={t('trace.due')}>
            {request.due_on === null ? <UserText text={null} /> : formatDate(request.due_on)}
          </Detail>
          <Detail term={t('traceDetail.response')}>
            <UserText text={request.response_text} />
          </Detail>
          <Detail term={t('traceNew.items', { count: request.item_ids.length })}>
            <ul className="plain-list">
              {request.item_ids.map((itemId, index) => (
                <li key={itemId}>
                  <Link to={paths.item(investigationId, itemId)}>
                    {t('traceDetail.itemNumber', { number: index + 1 })}
                  </Link>
                </li>
              ))}
            </ul>
          </Detail>
        </dl>
        {canChange && !editing && (
          <p className="actions">
            <button type="button" onClick={() => setEditing(true)}>
              {t('traceDetail.edit')}
            </button>
          </p>
        )}
        {editing && actors.data !== undefined && (
          <EditTraceRequestForm
            request={request}
            actors={actors.data}
            onSaved={changed}
            onCancel={() => setEditing(false)}
            onConflict={(_error, mine) => conflict(mine)}
          />
        )}
      </section>

      <section className="section" aria-labelledby="trace-workflow-title">
        <h2 id="trace-workflow-title">{t('traceWorkflow.title')}</h2>
        {canChange ? (
          <WorkflowPanel key={request.version} request={request} onChanged={changed} onConflict={() => conflict({})} />
        ) : (
          <p className="muted">{t('tracing.readOnly')}</p>
        )}
      </section>

      <DocumentsSection
        investigationId={investigationId}
        requestId={request.id}
        canAdd={access.canAdd && request.archived_at === null}
        onChanged={loaded.reload}
      />

      <HistorySection requestId={request.id} version={request.version} />

      {canChange && (
        <ArchiveRecord
          title={t('traceDetail.archive')}
          archive={(reason) =>
            call(
              api.POST('/api/v1/trace-requests/{id}/archive', {
                params: { path: { id: request.id } },
                body: { version: request.version, reason },
              }),
            ).then(changed)
          }
        />
      )}
    </div>
  );
}
