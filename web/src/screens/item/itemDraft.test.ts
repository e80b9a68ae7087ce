import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ItemRecord } from './itemApi';
import { itemChangeOf, itemDraftOf, tagsOf } from './itemDraft';

const item: ItemRecord = {
  id: '00000000-0000-7000-8000-000000000001',
  investigation_id: '00000000-0000-7000-8000-000000000002',
  site_id: '00000000-0000-7000-8000-000000000004',
  site_hidden: false,
  zone_id: '00000000-0000-7000-8000-000000000005',
  external_ref: null,
  category: 'fuze',
  model: 'M-1',
  quantity: 40,
  assembly_state: null,
  condition: 'worn',
  production_type: 'factory',
  observations: '',
  tags: ['crate 4', 'north wall'],
  fuze_fitted: null,
  safety_device_fitted: 'unknown',
  disposal_status: 'in_place',
  disposal_note: null,
  created_by: '00000000-0000-7000-8000-000000000003',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: 2,
  archived_at: null,
  archive_reason: null,
  sensitivity: 'internal',
  sensitivity_reason: null,
  markings: [],
};

describe('item edit draft', () => {
  it('sends nothing when nothing was changed', () => {
    assert.deepEqual(itemChangeOf(item, itemDraftOf(item)), { ok: true, changes: {} });
  });

  it('sends only the changed fields; empty is null for optional ones', () => {
    const draft = {
      ...itemDraftOf(item),
      model: '',
      condition: 'corroded',
      observations: 'Rust on the body',
      quantity: '٤١',
    };
    assert.deepEqual(itemChangeOf(item, draft), {
      ok: true,
      changes: { quantity: 41, model: null, condition: 'corroded', observations: 'Rust on the body' },
    });
  });

  it('refuses a quantity that is not a whole number', () => {
    assert.deepEqual(itemChangeOf(item, { ...itemDraftOf(item), quantity: '4.5' }), {
      ok: false,
      problem: 'quantity_unreadable',
    });
  });

  it('reads tags separated by Latin or Arabic commas and sends them only when they changed', () => {
    assert.deepEqual(tagsOf('cache A، north wall,\n, '), ['cache A', 'north wall']);
    assert.deepEqual(itemChangeOf(item, { ...itemDraftOf(item), tags: 'crate 4 ,north wall' }), {
      ok: true,
      changes: {},
    });
    assert.deepEqual(itemChangeOf(item, { ...itemDraftOf(item), tags: 'crate 4' }), {
      ok: true,
      changes: { tags: ['crate 4'] },
    });
  });

  it('moves the item to another site with the zone chosen there, or none', () => {
    const site = '00000000-0000-7000-8000-000000000009';
    assert.deepEqual(itemChangeOf(item, { ...itemDraftOf(item), site_id: site, zone_id: '' }), {
      ok: true,
      changes: { site_id: site, zone_id: null },
    });
  });

  it('sends a new sensitivity with the item’s version-checked change, and refuses restricted without a reason', () => {
    const draft = itemDraftOf(item);
    assert.deepEqual(itemChangeOf(item, { ...draft, sensitivity: { level: 'restricted', reason: '' } }), {
      ok: false,
      problem: 'sensitivity_reason_required',
    });
    assert.deepEqual(
      itemChangeOf(item, { ...draft, model: 'M-2', sensitivity: { level: 'restricted', reason: 'يذكر اسم شاهد' } }),
      { ok: true, changes: { model: 'M-2', sensitivity: 'restricted', sensitivity_reason: 'يذكر اسم شاهد' } },
    );
    assert.deepEqual(itemChangeOf(item, draft), { ok: true, changes: {} });
  });
});
