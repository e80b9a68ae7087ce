import { useState } from 'react';
import { api, call, readAllPages, type Marking, type TraceRequest } from '../../api/client';
import { requestsAbout } from '../../components/TraceRequestList';
import { EmptyState, ErrorNotice } from '../../components/ui';
import { useLoad } from '../../hooks';
import { isolate, useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { useAccess } from './data';
import { tracingPaths, startTraceRequest } from './paths';

/**
 * On an item's page: the trace requests about the item or one of its lots, each linked to its page; a new request
 * about this item; and taking the item off a request it was added to in error.
 */
export function ItemTraceRequests({
  investigationId,
  itemId,
  markings,
}: {
  investigationId: string;
  itemId: string;
  markings: readonly Marking[];
}) {
  const { t, label, formatDate } = useI18n();
  const access = useAccess(investigationId);
  const [error, setError] = useState<unknown>(undefined);
  const requests = useLoad(
    async () =>
      (
        await readAllPages((after) =>
          call(
            api.GET('/api/v1/investigations/{id}/trace-requests', {
              params: { path: { id: investigationId }, query: { limit: 500, after } },
            }),
          ),
        )
      ).rows,
    [investigationId],
  );
  const about = requestsAbout(requests.data ?? [], itemId, markings);
  // The request keeps its other items; the audit log keeps the link and its removal.
  const remove = (request: TraceRequest) => {
    if (!window.confirm(t('trace.removeItemConfirm', { subject: isolate(request.subject) }))) return;
    setError(undefined);
    call(
      api.DELETE('/api/v1/trace-requests/{id}/items/{itemId}', { params: { path: { id: request.id, itemId } } }),
    ).then(requests.reload, setError);
  };
  return (
    <section className="section" aria-labelledby="trace-requests-title" id="trace-requests">
      <h2 id="trace-requests-title">{t('trace.title')}</h2>
      {error !== undefined && <ErrorNotice error={error} />}
      {requests.error !== undefined && <ErrorNotice error={requests.error} />}
      {requests.data !== undefined && about.length === 0 && <EmptyState>{t('traceItem.none')}</EmptyState>}
      <ul className="plain-list trace-requests">
        {about.map((request) => (
          <li key={request.id} data-testid="trace-request">
            <Link to={tracingPaths.request(investigationId, request.id)}>
              <bdi dir="auto">{request.subject}</bdi>
            </Link>{' '}
            <span className="badge">{label('traceStatus', request.status)}</span>
            {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
            <br />
            <span className="muted small">
              {t('trace.to')} <bdi dir="auto">{request.addressee_name}</bdi>
              {request.due_on !== null && ` · ${t('trace.dueOn', { date: formatDate(request.due_on) })}`}
              {!request.item_ids.includes(itemId) && request.lot_marking !== null && (
                <>
                  {' · '}
                  {t('trace.throughLot')} <bdi dir="auto">{request.lot_marking}</bdi>
                </>
              )}
            </span>
            {access.canChange(request) && request.item_ids.includes(itemId) && (
              <>
                <br />
                <button type="button" className="button-link" onClick={() => remove(request)}>
                  {t('trace.removeItem')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {access.canAdd && (
        <p>
          <button type="button" onClick={() => startTraceRequest(investigationId, { itemIds: [itemId] })}>
            {t('traceItem.new')}
          </button>
        </p>
      )}
    </section>
  );
}
