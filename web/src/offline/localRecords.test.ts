import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 } from 'uuid';
import type { SyncOperation } from './contract';
import { overlay } from './localRecords';

const investigationId = v7();
const siteOp: SyncOperation = {
  op_id: v7(),
  captured_at: '2026-12-05T10:00:00.000Z',
  type: 'site.create',
  investigation_id: investigationId,
  record_id: v7(),
  body: { name: 'Depot', site_type: 'cache', latitude: 36.351111, longitude: 43.178889 },
};
const zoneOp: SyncOperation = {
  ...siteOp,
  op_id: v7(),
  type: 'zone.create',
  record_id: v7(),
  body: { site_id: siteOp.record_id, name: 'North' },
};
const itemOp: SyncOperation = {
  ...siteOp,
  op_id: v7(),
  type: 'item.create',
  record_id: v7(),
  body: { site_id: siteOp.record_id, category: 'small_arm', markings: [{ text: 'KL-0471', kind: 'serial' }] },
};
const queued = [siteOp, zoneOp, itemOp];

describe('records saved on the device, read as the API returns them', () => {
  it('answers for a site created offline', () => {
    const site = overlay(`/api/v1/sites/${siteOp.record_id}`, undefined, queued) as Record<string, unknown>;
    assert.equal(site.name, 'Depot');
    assert.equal(site.latitude, 36.351111);
    assert.equal(site.offline, true);
  });

  it('adds zones created offline to the zones the server listed', () => {
    const base = { items: [{ id: 'z1', name: 'South' }], next_after: null };
    const zones = overlay(`/api/v1/sites/${siteOp.record_id}/zones?limit=500`, base, queued) as {
      items: { name: string }[];
    };
    assert.deepEqual(
      zones.items.map((zone) => zone.name),
      ['South', 'North'],
    );
  });

  it('answers for an item with its markings', () => {
    const item = overlay(`/api/v1/items/${itemOp.record_id}`, undefined, queued) as {
      markings: { text: string }[];
      site_id: string;
    };
    assert.equal(item.site_id, siteOp.record_id);
    assert.equal(item.markings[0]?.text, 'KL-0471');
  });

  it('shows a disposal change still on the device as the item’s status', () => {
    const disposal: SyncOperation = {
      ...siteOp,
      op_id: v7(),
      type: 'item.disposal',
      record_id: itemOp.record_id,
      base_version: 1,
      body: { disposal_status: 'moved_to_storage', note: 'to the depot' },
    };
    const item = overlay(`/api/v1/items/${itemOp.record_id}`, undefined, [...queued, disposal]) as Record<
      string,
      unknown
    >;
    assert.equal(item.disposal_status, 'moved_to_storage');
    assert.equal(item.disposal_note, 'to the depot');
  });

  it('puts sites created offline on the map', () => {
    const collection = overlay(`/api/v1/investigations/${investigationId}/sites.geojson`, undefined, queued) as {
      features: { geometry: { coordinates: number[] } }[];
    };
    assert.deepEqual(collection.features[0]?.geometry.coordinates, [43.178889, 36.351111]);
  });

  it('leaves every other answer as it is', () => {
    assert.equal(overlay('/api/v1/auth/me', 'me', queued), 'me');
    assert.equal(overlay(`/api/v1/sites/${v7()}`, undefined, queued), undefined);
  });
});
