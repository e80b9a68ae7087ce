// "Save and add another like this": what is carried to the next item, what is marked, and what a category change
// clears (carryOver.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editField, editMarking, emptyDraft, freshCapture, likeThis, type ItemDraft } from './carryOver';

const mortarBomb = (): ItemDraft => ({
  ...emptyDraft(),
  zone_id: '0190a1b2-0000-7000-8000-000000000001',
  category: 'mortar_bomb',
  model: '82 mm, type not identified',
  quantity: '3',
  condition: 'corroded',
  production_type: 'industrial',
  fuze_fitted: 'yes',
  safety_device_fitted: 'no',
  external_ref: 'KRK-17',
  observations: 'Stacked in the rear room',
  tags: 'crate 4',
  markings: [{ ...emptyDraft().markings[0]!, text: 'ЗД-4517-88', kind: 'lot', position: 'body' }],
});

describe('save and add another like this', () => {
  it('keeps the values a team repeats and marks each of them as carried over', () => {
    const next = likeThis(mortarBomb());
    assert.equal(next.draft.zone_id, '0190a1b2-0000-7000-8000-000000000001');
    assert.equal(next.draft.condition, 'corroded');
    assert.equal(next.draft.production_type, 'industrial');
    assert.equal(next.draft.category, 'mortar_bomb');
    assert.equal(next.draft.fuze_fitted, 'yes');
    for (const field of [
      'zone_id',
      'category',
      'model',
      'quantity',
      'condition',
      'production_type',
      'fuze_fitted',
      'safety_device_fitted',
      'tags',
    ] as const) {
      assert.ok(next.carried.has(field), `${field} is marked as carried over`);
    }
  });

  it('does not mark a value that equals the empty form’s (nothing was carried)', () => {
    const next = likeThis({ ...emptyDraft(), category: 'rifle' });
    assert.deepEqual([...next.carried], ['category']);
  });

  it('starts what identifies one item empty: reference, observations, marking texts', () => {
    const next = likeThis(mortarBomb());
    assert.equal(next.draft.external_ref, '');
    assert.equal(next.draft.observations, '');
    assert.equal(next.draft.markings.length, 1);
    const row = next.draft.markings[0]!;
    assert.equal(row.text, '');
    assert.equal(row.kind, 'lot');
    assert.equal(row.position, 'body');
    assert.deepEqual([...row.carried].sort(), ['kind', 'position']);
  });

  it('clears the carried model and hazard state when the category changes', () => {
    const result = editField(likeThis(mortarBomb()), 'category', 'launcher');
    assert.equal(result.draft.category, 'launcher');
    assert.equal(result.draft.model, '');
    assert.equal(result.draft.fuze_fitted, '');
    assert.equal(result.draft.safety_device_fitted, '');
    assert.deepEqual(result.cleared.sort(), ['fuze_fitted', 'model', 'safety_device_fitted']);
    // The repeated values stay, still marked; the category is the user's now.
    assert.equal(result.draft.condition, 'corroded');
    assert.ok(result.carried.has('condition'));
    assert.ok(!result.carried.has('category'));
    assert.ok(!result.carried.has('fuze_fitted'));
  });

  it('keeps what the user set for this item when the category changes afterwards', () => {
    let state = editField(likeThis(mortarBomb()), 'model', 'M-57');
    state = editField(state, 'fuze_fitted', 'no');
    const result = editField(state, 'category', 'rocket');
    assert.equal(result.draft.model, 'M-57');
    assert.equal(result.draft.fuze_fitted, 'no');
    assert.equal(result.draft.safety_device_fitted, '');
    assert.deepEqual(result.cleared, ['safety_device_fitted']);
  });

  it('clears nothing when the same category is chosen again', () => {
    const result = editField(likeThis(mortarBomb()), 'category', 'mortar_bomb');
    assert.equal(result.draft.fuze_fitted, 'yes');
    assert.deepEqual(result.cleared, []);
  });

  it('clears nothing on a first item, where nothing was carried over', () => {
    let state = editField(freshCapture(), 'category', 'mortar_bomb');
    state = editField(state, 'fuze_fitted', 'yes');
    const result = editField(state, 'category', 'rocket');
    assert.equal(result.draft.fuze_fitted, 'yes');
    assert.deepEqual(result.cleared, []);
  });

  it('unmarks a field once it is touched', () => {
    const state = editField(likeThis(mortarBomb()), 'condition', 'corroded');
    assert.ok(!state.carried.has('condition'));
    assert.ok(state.carried.has('zone_id'));
    const row = state.draft.markings[0]!;
    const edited = editMarking(state, row.key, { position: 'base' });
    assert.deepEqual([...edited.draft.markings[0]!.carried], ['kind']);
  });
});
