import { navigate } from '../../router';
import { draftStateKey, type TraceRequestDraft } from './model';

/** The addresses of the trace-request and provenance screens. */
export const tracingPaths = {
  list: (investigationId: string) => `/investigations/${investigationId}/trace-requests`,
  request: (investigationId: string, requestId: string) =>
    `/investigations/${investigationId}/trace-requests/${requestId}`,
  /** A new request; short selections travel in the URL, so the link can be shared or bookmarked. */
  create: (investigationId: string, draft: Partial<TraceRequestDraft> = {}) => {
    const query = new URLSearchParams();
    if (draft.itemIds !== undefined && draft.itemIds.length > 0) query.set('items', draft.itemIds.join(','));
    if (draft.lotMarking !== undefined && draft.lotMarking !== '') query.set('lot', draft.lotMarking);
    if (draft.subject !== undefined && draft.subject !== '') query.set('subject', draft.subject);
    if (draft.addresseeName !== undefined && draft.addresseeName !== '') query.set('addressee', draft.addresseeName);
    const search = query.toString();
    return `/investigations/${investigationId}/trace-requests/new${search === '' ? '' : `?${search}`}`;
  },
  lots: (investigationId: string) => `/investigations/${investigationId}/lots`,
  lot: (investigationId: string, lotMarking: string) =>
    `/investigations/${investigationId}/lots/view?lot=${encodeURIComponent(lotMarking)}`,
};

// More ids than this go in the history state instead of the URL (a URL of a few thousand characters is safe).
const MAX_IDS_IN_URL = 40;

/**
 * The entry point for other screens (the inventory selection, the shared-lot view, a transfer lead): opens the
 * new-trace-request screen with these items, lot, subject and suggested addressee filled in. Nothing is written
 * until the user saves the form.
 *
 * @example
 * startTraceRequest(investigationId, { itemIds: selectedIds });
 * startTraceRequest(investigationId, { lotMarking: 'КЛ 0471', subject: 'Lot КЛ 0471' });
 */
export function startTraceRequest(investigationId: string, draft: Partial<TraceRequestDraft>): void {
  const itemIds = draft.itemIds ?? [];
  if (itemIds.length <= MAX_IDS_IN_URL) {
    navigate(tracingPaths.create(investigationId, draft));
    return;
  }
  window.history.pushState(
    { [draftStateKey]: { ...draft, itemIds } },
    '',
    tracingPaths.create(investigationId, { ...draft, itemIds: [] }),
  );
  window.dispatchEvent(new PopStateEvent('popstate'));
}
