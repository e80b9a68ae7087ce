import type { Marking, TraceRequest } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { UserText } from './ui';

/**
 * A comparable form of a lot marking: NFKC, lower case, ASCII digits, no
 * separators. Close to the server's `normalized`, so a request about lot
 * "КЛ 0417" is found on an item marked "КЛ-0417".
 */
export function comparableLot(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[^\p{L}\p{N}?]/gu, '');
}

/** The requests that cover the item itself or one of its lot markings. */
export function requestsAbout(
  requests: readonly TraceRequest[],
  itemId: string,
  markings: readonly Marking[],
): TraceRequest[] {
  const lots = new Set(
    markings.filter((marking) => marking.kind === 'lot').map((marking) => comparableLot(marking.text)),
  );
  return requests.filter(
    (request) =>
      request.item_ids.includes(itemId) ||
      (request.lot_marking !== null && lots.has(comparableLot(request.lot_marking))),
  );
}

/**
 * Trace requests with their addressee, status, dates and an overdue badge;
 * with `onRemoveItem`, a button on each request that covers `itemId` itself
 * to take the item off it (a link made in error).
 */
export function TraceRequestList({
  requests,
  itemId,
  onRemoveItem,
}: {
  requests: readonly TraceRequest[];
  itemId?: string;
  onRemoveItem?: (request: TraceRequest) => void;
}) {
  const { t, label, formatDate } = useI18n();
  return (
    <ul className="plain-list trace-requests">
      {requests.map((request) => (
        <li key={request.id} data-testid="trace-request">
          <strong>
            <UserText text={request.subject} />
          </strong>{' '}
          <span className="badge">{label('traceStatus', request.status)}</span>
          {request.overdue && <span className="badge badge-overdue">{t('trace.overdue')}</span>}
          <br />
          <span className="muted small">
            {t('trace.to')} <bdi dir="auto">{request.addressee_name}</bdi>
            {request.sent_on !== null && ` · ${t('trace.sentOn', { date: formatDate(request.sent_on) })}`}
            {request.due_on !== null && ` · ${t('trace.dueOn', { date: formatDate(request.due_on) })}`}
            {itemId !== undefined && !request.item_ids.includes(itemId) && request.lot_marking !== null && (
              <>
                {' · '}
                {t('trace.throughLot')} <bdi dir="auto">{request.lot_marking}</bdi>
              </>
            )}
          </span>
          {onRemoveItem !== undefined && itemId !== undefined && request.item_ids.includes(itemId) && (
            <>
              <br />
              <button type="button" className="button-link" onClick={() => onRemoveItem(request)}>
                {t('trace.removeItem')}
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
