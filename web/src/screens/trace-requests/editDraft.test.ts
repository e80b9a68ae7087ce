import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceRequest } from '../../api/client';
import { claimChanges } from '../provenance/claimFields';
import { changedFields, draftOf } from './editDraft';

const request = {
  subject: 'Lot КЛ 0471',
  addressee_id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  lot_marking: null,
  sent_on: '2026-01-05',
  due_on: '2026-02-05',
  response_text: null,
} as TraceRequest;

describe('what an edit sends', () => {
  it('sends only the request fields the user changed, an emptied date as null', () => {
    assert.deepEqual(changedFields(request, draftOf(request)), {});
    assert.deepEqual(changedFields(request, { ...draftOf(request), due_on: '', lot_marking: 'КЛ 0471' }), {
      due_on: null,
      lot_marking: 'КЛ 0471',
    });
    // A required field is sent as typed, so the server names it when it is empty.
    assert.deepEqual(changedFields(request, { ...draftOf(request), subject: '' }), { subject: '' });
  });

  it('sends only the claim fields the user changed', () => {
    const claim = {
      event_type: 'exported',
      actor_id: 'a',
      counterpart_id: null,
      occurred_from: '1997-05-01',
      occurred_to: null,
      place: 'ميناء طرطوس',
      source_id: null,
      trace_request_id: null,
      confidence: 'possible',
      notes: '',
    } as const;
    assert.deepEqual(claimChanges(claim, { ...claim }), {});
    assert.deepEqual(claimChanges(claim, { ...claim, place: 'طرطوس', counterpart_id: 'b' }), {
      place: 'طرطوس',
      counterpart_id: 'b',
    });
  });
});
