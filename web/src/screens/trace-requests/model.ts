import type { TraceRequest } from '../../api/client';

// The logic of the trace-request screens that is not layout: ages, and the entry point's parameters (the list is
// sorted by the server).

export type TraceSortKey = 'overdue' | 'status' | 'addressee' | 'age' | 'due' | 'subject';

const DAY_MS = 86_400_000;

/** Today's date (UTC), as the server judges overdue. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Whole days from one calendar date (YYYY-MM-DD) to another, both read as UTC.
 *
 * @example
 * daysBetween('2026-01-01', '2026-01-31') // 30
 */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Days since the request was sent (or recorded, while a draft): its age. */
export function ageInDays(request: TraceRequest, today: string): number {
  return daysBetween(request.sent_on ?? request.created_at.slice(0, 10), today);
}

/** What a new trace request starts with: items, a lot, a subject, an addressee suggested by name. */
export interface TraceRequestDraft {
  itemIds: string[];
  lotMarking: string;
  subject: string;
  addresseeName: string;
}

/** The key under which a long selection travels in the history state rather than the URL. */
export const draftStateKey = 'armtraceTraceRequestDraft';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the new-request screen's parameters: `?items=<id>,<id>&lot=…&subject=…&addressee=…`, and/or a history state
 * `{ armtraceTraceRequestDraft: { itemIds: [...] } }` (for selections too long for a URL). Ids that are not UUIDs are
 * dropped here and refused by nobody else, so a malformed link cannot send garbage to the server; duplicates go.
 */
export function readDraft(query: URLSearchParams, state: unknown): TraceRequestDraft {
  const fromState =
    typeof state === 'object' && state !== null && draftStateKey in state
      ? ((state as Record<string, unknown>)[draftStateKey] as Partial<TraceRequestDraft> | undefined)
      : undefined;
  const ids = [
    ...query
      .getAll('items')
      .flatMap((value) => value.split(','))
      .map((id) => id.trim()),
    ...(Array.isArray(fromState?.itemIds) ? fromState.itemIds : []),
  ].filter((id): id is string => typeof id === 'string' && uuidPattern.test(id));
  const text = (name: 'lot' | 'subject' | 'addressee', stateValue: unknown) =>
    query.get(name) ?? (typeof stateValue === 'string' ? stateValue : '');
  return {
    itemIds: [...new Set(ids.map((id) => id.toLowerCase()))],
    lotMarking: text('lot', fromState?.lotMarking),
    subject: text('subject', fromState?.subject),
    addresseeName: text('addressee', fromState?.addresseeName),
  };
}
