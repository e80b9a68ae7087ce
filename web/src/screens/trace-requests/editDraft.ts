import type { TraceRequest } from '../../api/client';

/** The editable fields of a trace request as the form holds them: text, '' for nothing. */
export interface TraceRequestDraftFields {
  subject: string;
  addressee_id: string;
  lot_marking: string;
  sent_on: string;
  due_on: string;
  response_text: string;
}

/**
 * The form's values for a request.
 *
 * @example draftOf(request).lot_marking // '' when the request names no lot
 */
export function draftOf(request: TraceRequest): TraceRequestDraftFields {
  return {
    subject: request.subject,
    addressee_id: request.addressee_id,
    lot_marking: request.lot_marking ?? '',
    sent_on: request.sent_on ?? '',
    due_on: request.due_on ?? '',
    response_text: request.response_text ?? '',
  };
}

/**
 * Only what the user changed, as the API takes it ('' → null for the optional fields), so a change someone else
 * made to another field is never sent back over theirs.
 *
 * @example changedFields(request, { ...draftOf(request), due_on: '' }) // { due_on: null }
 */
export function changedFields(base: TraceRequest, draft: TraceRequestDraftFields): Record<string, string | null> {
  const original = draftOf(base);
  const changes: Record<string, string | null> = {};
  for (const key of Object.keys(draft) as (keyof TraceRequestDraftFields)[]) {
    if (draft[key] === original[key]) continue;
    const required = key === 'subject' || key === 'addressee_id';
    changes[key] = !required && draft[key].trim() === '' ? null : draft[key];
  }
  return changes;
}
