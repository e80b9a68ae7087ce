import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceRequest } from '../../api/client';
import { ageInDays, daysBetween, draftStateKey, readDraft } from './model';

function request(fields: Partial<TraceRequest> & { id: string }): TraceRequest {
  return {
    investigation_id: '00000000-0000-7000-8000-000000000000',
    addressee_id: '00000000-0000-7000-8000-0000000000aa',
    addressee_name: 'Zeta',
    subject: 'Subject',
    lot_marking: null,
    status: 'sent',
    sent_on: null,
    due_on: null,
    response_text: null,
    overdue: false,
    item_ids: [],
    created_by: '00000000-0000-7000-8000-0000000000bb',
    created_at: '2026-01-01T10:00:00.000Z',
    updated_at: '2026-01-01T10:00:00.000Z',
    version: 1,
    archived_at: null,
    archive_reason: null,
    ...fields,
  };
}

describe('trace request ages', () => {
  it('counts ages in whole UTC days from the date sent, else from the creation', () => {
    assert.equal(daysBetween('2026-01-01', '2026-01-31'), 30);
    assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
    assert.equal(ageInDays(request({ id: 'x', sent_on: '2026-02-25' }), '2026-03-05'), 8);
    assert.equal(ageInDays(request({ id: 'y' }), '2026-01-02'), 1);
  });
});

describe('the new-request entry point', () => {
  const first = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
  const second = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';

  it('reads item ids, lot, subject and addressee from the URL, dropping what is not an id', () => {
    const draft = readDraft(
      new URLSearchParams({ items: `${first},not-an-id,${first.toUpperCase()}`, lot: 'КЛ 0471', addressee: 'X' }),
      null,
    );
    assert.deepEqual(draft, { itemIds: [first], lotMarking: 'КЛ 0471', subject: '', addresseeName: 'X' });
  });

  it('adds a long selection passed in the history state', () => {
    const draft = readDraft(new URLSearchParams(), { [draftStateKey]: { itemIds: [first, second, 42], subject: 'S' } });
    assert.deepEqual(draft.itemIds, [first, second]);
    assert.equal(draft.subject, 'S');
  });
});
