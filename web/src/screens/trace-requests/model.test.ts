import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceRequest } from '../../api/client';
import { ageInDays, daysBetween, draftStateKey, readDraft, sortTraceRequests } from './model';

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

const compare = (a: string, b: string) => a.localeCompare(b);

describe('trace request list order', () => {
  const late = request({ id: 'a1', overdue: true, due_on: '2026-02-01', addressee_name: 'Beta' });
  const later = request({ id: 'a2', overdue: true, due_on: '2026-01-15', addressee_name: 'Alpha' });
  const waiting = request({ id: 'a3', due_on: '2026-06-01', status: 'acknowledged' });
  const draftOld = request({ id: 'a4', status: 'draft' });
  const draftNew = request({ id: 'a5', status: 'draft', sent_on: null, created_at: '2026-03-01T00:00:00Z' });

  it('puts overdue first (most overdue at the top), then by due date, then the newest', () => {
    const sorted = sortTraceRequests(
      [draftOld, waiting, late, draftNew, later],
      'overdue',
      true,
      compare,
      '2026-03-05',
    );
    assert.deepEqual(
      sorted.map((row) => row.id),
      ['a2', 'a1', 'a3', 'a5', 'a4'],
    );
  });

  it('sorts by addressee, by status in workflow order, by age, either way', () => {
    assert.deepEqual(
      sortTraceRequests([late, later], 'addressee', true, compare, '2026-03-05').map((row) => row.id),
      ['a2', 'a1'],
    );
    assert.deepEqual(
      sortTraceRequests([waiting, draftOld, late], 'status', true, compare, '2026-03-05').map((row) => row.id),
      ['a4', 'a1', 'a3'],
    );
    assert.deepEqual(
      sortTraceRequests([draftNew, draftOld], 'age', true, compare, '2026-03-05').map((row) => row.id),
      ['a4', 'a5'],
    );
    assert.deepEqual(
      sortTraceRequests([draftNew, draftOld], 'age', false, compare, '2026-03-05').map((row) => row.id),
      ['a5', 'a4'],
    );
  });

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
