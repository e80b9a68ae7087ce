import type { BodyOf, ProvenanceClaim, TraceRequest } from '../../api/client';

// The tracing vocabularies as runtime lists; each list is checked against the generated API types both ways.

type Exactly<Value extends string, List extends readonly string[]> = [Exclude<Value, List[number]>] extends [never]
  ? [Exclude<List[number], Value>] extends [never]
    ? List
    : never
  : never;

function list<Value extends string>() {
  return <const List extends readonly Value[]>(values: Exactly<Value, List>): List => values;
}

export type TraceStatus = TraceRequest['status'];
export const traceRequestStatuses = list<TraceStatus>()([
  'draft',
  'sent',
  'acknowledged',
  'answered',
  'no_response',
  'declined',
  'closed',
]);

/** The workflow as the server enforces it (src/features/tracing/schema.ts `nextStatuses`). */
export const nextStatuses: Record<TraceStatus, readonly TraceStatus[]> = {
  draft: ['sent', 'closed'],
  sent: ['acknowledged', 'answered', 'no_response', 'declined', 'closed'],
  acknowledged: ['answered', 'declined', 'no_response', 'closed'],
  answered: ['closed'],
  no_response: ['closed'],
  declined: ['closed'],
  closed: [],
};

export type DocumentKind = BodyOf<'/api/v1/trace-requests/{id}/documents', 'post'>['kind'];
export const documentKinds = list<DocumentKind>()(['request', 'response', 'reminder', 'annex']);

export type EventType = ProvenanceClaim['event_type'];
export const eventTypes = list<EventType>()(['produced', 'exported', 'transferred', 'diverted', 'recovered']);

export type Confidence = ProvenanceClaim['confidence'];
export const confidences = list<Confidence>()(['confirmed', 'probable', 'possible']);
