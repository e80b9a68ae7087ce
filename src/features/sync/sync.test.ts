import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import type { SyncResponse, SyncResult } from './schema.js';

interface Operation {
  op_id: string;
  captured_at: string;
  type: string;
  investigation_id: string;
  record_id: string;
  base_version?: number;
  body: Record<string, unknown>;
}

describe('offline sync API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let viewerCookie: string;
  let outsiderCookie: string;
  const deviceId = uuidv7();

  function operation(type: string, body: Record<string, unknown>, extra: Partial<Operation> = {}): Operation {
    return {
      op_id: uuidv7(),
      captured_at: '2026-03-01T10:15:00+03:00',
      type,
      investigation_id: world.investigationId,
      record_id: uuidv7(),
      body,
      ...extra,
    };
  }

  async function sync(operations: Operation[], cookie = ownerCookie, deviceTime = new Date().toISOString()) {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { cookie },
      payload: { device_id: deviceId, device_time: deviceTime, operations },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<SyncResponse>();
  }

  async function count(table: 'sites' | 'items' | 'markings' | 'zones' | 'sync_operations'): Promise<number> {
    const row = await world.db
      .selectFrom(table as 'items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  function statuses(response: SyncResponse): string[] {
    return response.results.map((result) => result.status);
  }

  function codeOf(result: SyncResult | undefined): string | undefined {
    return result?.problem?.code;
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    await createTestUser(world.db, 'sync-viewer');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'sync-viewer', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    viewerCookie = await world.cookieFor('sync-viewer');
  });
  after(async () => {
    await world.close();
  });

  it('creates a site, zone, item with markings and custody in one batch, children listed first', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Orchard cache' });
    const zone = operation('zone.create', { site_id: site.record_id, name: 'North wall' });
    const markingId = uuidv7();
    const item = operation('item.create', {
      site_id: site.record_id,
      zone_id: zone.record_id,
      category: 'mortar_bomb',
      markings: [{ id: markingId, text: '82-OF-843', kind: 'model' }],
    });
    const marking = operation('marking.create', { item_id: item.record_id, text: 'ЗВ 12-81', kind: 'lot' });
    const custody = operation('custody.create', {
      item_id: item.record_id,
      from_party: 'Site team',
      to_party: 'Evidence store',
    });
    // Children first in the request: the server applies parents first and answers in request order.
    const response = await sync([custody, marking, item, zone, site]);
    assert.deepEqual(statuses(response), ['created', 'created', 'created', 'created', 'created']);
    assert.deepEqual(
      response.results.map((result) => [result.op_id, result.record_type, result.record_id]),
      [
        [custody.op_id, 'custody_event', custody.record_id],
        [marking.op_id, 'marking', marking.record_id],
        [item.op_id, 'item', item.record_id],
        [zone.op_id, 'zone', zone.record_id],
        [site.op_id, 'site', site.record_id],
      ],
    );
    const storedItem = response.results[2]!.record!;
    assert.equal(storedItem.id, item.record_id);
    assert.equal(storedItem.fuze_fitted, 'unknown');
    assert.deepEqual(
      (storedItem.markings as { id: string }[]).map((entry) => entry.id),
      [markingId],
    );
    const fetched = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${item.record_id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(fetched.statusCode, 200, fetched.body);
    assert.equal(fetched.json<{ markings: unknown[] }>().markings.length, 2);
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('replays a batch without writing anything twice and returns the stored records', async () => {
    const site = operation('site.create', { site_type: 'storage_depot', name: 'Depot 4' });
    const item = operation('item.create', {
      site_id: site.record_id,
      category: 'small_arm',
      markings: [{ text: 'KL-0471', kind: 'serial' }],
    });
    const first = await sync([site, item]);
    assert.deepEqual(statuses(first), ['created', 'created']);
    const before = {
      sites: await count('sites'),
      items: await count('items'),
      markings: await count('markings'),
      operations: await count('sync_operations'),
    };
    const replay = await sync([site, item]);
    assert.deepEqual(statuses(replay), ['already_applied', 'already_applied']);
    assert.deepEqual(replay.results[0]!.record, first.results[0]!.record);
    assert.deepEqual(replay.results[1]!.record, first.results[1]!.record);
    assert.deepEqual(
      {
        sites: await count('sites'),
        items: await count('items'),
        markings: await count('markings'),
        operations: await count('sync_operations'),
      },
      before,
    );
  });

  it('blocks an item whose site has not arrived, and creates it once the site is there', async () => {
    const site = operation('site.create', { site_type: 'workshop', name: 'Workshop' });
    site.body.site_type = 'production_workshop';
    const item = operation('item.create', { site_id: site.record_id, category: 'rocket_motor' });
    const early = await sync([item]);
    assert.deepEqual(statuses(early), ['blocked']);
    assert.equal(codeOf(early.results[0]), 'dependency_missing');
    assert.equal(early.results[0]!.problem!.fields![0]!.field, 'site_id');
    const siteFirst = await sync([site]);
    assert.deepEqual(statuses(siteFirst), ['created']);
    const retried = await sync([item]);
    assert.deepEqual(statuses(retried), ['created']);
    assert.equal(retried.results[0]!.record!.site_id, site.record_id);
  });

  it('keeps going past a bad record and names its fields', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Riverbank' });
    const good = operation('item.create', { site_id: site.record_id, category: 'fuze' });
    const bad = operation('item.create', { site_id: site.record_id, category: 'spaceship', quantity: 0 });
    const alsoGood = operation('item.create', { site_id: site.record_id, category: 'cartridges', quantity: 40 });
    const response = await sync([site, good, bad, alsoGood]);
    assert.deepEqual(statuses(response), ['created', 'created', 'rejected', 'created']);
    const problem = response.results[2]!.problem!;
    assert.equal(problem.code, 'validation_failed');
    assert.deepEqual(problem.fields!.map((field) => field.field).sort(), ['category', 'quantity']);
    const missing = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${bad.record_id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(missing.statusCode, 404);
    // A rejected operation leaves no idempotency row: the corrected record comes with a new op_id,
    // and even the same op_id is tried again.
    const corrected = await sync([{ ...bad, body: { site_id: site.record_id, category: 'other' } }]);
    assert.deepEqual(statuses(corrected), ['created']);
  });

  it('returns a conflict with the server record for a stale update, and applies a current one', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Barn' });
    const item = operation('item.create', { site_id: site.record_id, category: 'launcher' });
    await sync([site, item]);
    const onServer = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${item.record_id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, model: 'Changed on the server' },
    });
    assert.equal(onServer.statusCode, 200, onServer.body);
    const stale = operation(
      'item.update',
      { observations: 'Corrected offline' },
      { record_id: item.record_id, base_version: 1 },
    );
    const conflict = await sync([stale]);
    assert.deepEqual(statuses(conflict), ['conflict']);
    assert.equal(conflict.results[0]!.server_version, 2);
    assert.equal(conflict.results[0]!.server_record!.model, 'Changed on the server');
    assert.equal(conflict.results[0]!.server_record!.observations, '');
    const keepMine = operation(
      'item.update',
      { observations: 'Corrected offline' },
      { record_id: item.record_id, base_version: 2 },
    );
    const applied = await sync([keepMine]);
    assert.deepEqual(statuses(applied), ['applied']);
    assert.equal(applied.results[0]!.record!.version, 3);
    assert.equal(applied.results[0]!.record!.observations, 'Corrected offline');
    assert.ok(Array.isArray(applied.results[0]!.record!.markings), 'the record as GET returns it');
    const disposal = operation(
      'item.disposal',
      { disposal_status: 'transferred', note: 'Referred to the clearance team' },
      { record_id: item.record_id, base_version: 3 },
    );
    const siteUpdate = operation(
      'site.update',
      { name: 'Barn (east)' },
      { record_id: site.record_id, base_version: 1 },
    );
    const more = await sync([disposal, siteUpdate]);
    assert.deepEqual(statuses(more), ['applied', 'applied']);
    assert.equal(more.results[0]!.record!.disposal_status, 'transferred');
    assert.equal(more.results[1]!.record!.name, 'Barn (east)');
    const noVersion = operation('site.update', { name: 'x' }, { record_id: site.record_id });
    const refused = await sync([noVersion]);
    assert.deepEqual(statuses(refused), ['rejected']);
    assert.equal(refused.results[0]!.problem!.fields![0]!.field, 'base_version');
  });

  it('applies an operation given twice in one batch once', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Twice' });
    const response = await sync([site, site, { ...site, body: { site_type: 'cache', name: 'Other' } }]);
    assert.deepEqual(statuses(response), ['created', 'already_applied', 'rejected']);
    assert.equal(codeOf(response.results[2]), 'idempotency_key_reused');
  });

  it('refuses the same op_id with another body', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Well' });
    assert.deepEqual(statuses(await sync([site])), ['created']);
    const changed = { ...site, body: { site_type: 'cache', name: 'Well (renamed)' } };
    const response = await sync([changed]);
    assert.deepEqual(statuses(response), ['rejected']);
    assert.equal(codeOf(response.results[0]), 'idempotency_key_reused');
    const stored = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sites/${site.record_id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(stored.json<{ name: string }>().name, 'Well');
  });

  it('refuses a client id that another record already has, of any kind', async () => {
    const site = operation('site.create', { site_type: 'cache', name: 'Ditch' });
    const item = operation('item.create', { site_id: site.record_id, category: 'other' });
    await sync([site, item]);
    const clash = operation(
      'site.create',
      { site_type: 'cache', name: 'Same id as an item' },
      { record_id: item.record_id },
    );
    const response = await sync([clash]);
    assert.deepEqual(statuses(response), ['rejected']);
    assert.equal(codeOf(response.results[0]), 'already_exists');
    const sameKind = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie: ownerCookie },
      payload: { id: site.record_id, site_type: 'cache', name: 'Same id again' },
    });
    assert.equal(sameKind.statusCode, 409, sameKind.body);
    const badId = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie: ownerCookie },
      payload: { id: 'not-a-uuid', site_type: 'cache', name: 'Bad id' },
    });
    assert.equal(badId.statusCode, 400, badId.body);
    const nested = operation('item.create', {
      site_id: site.record_id,
      category: 'other',
      markings: [
        { text: 'A-1', kind: 'serial' },
        { id: site.record_id, text: 'A-2', kind: 'serial' },
      ],
    });
    const nestedClash = await sync([nested]);
    assert.equal(codeOf(nestedClash.results[0]), 'already_exists');
    assert.equal(nestedClash.results[0]!.problem!.fields![0]!.field, 'markings.1.id');
    const bodyId = operation('site.create', { id: uuidv7(), site_type: 'cache', name: 'Two ids' });
    const mismatch = await sync([bodyId]);
    assert.equal(codeOf(mismatch.results[0]), 'validation_failed');
  });

  it('flags a device clock more than ten minutes off and keeps capture beside receipt time', async () => {
    const deviceTime = new Date(Date.now() - 3 * 3600 * 1000).toISOString();
    const site = operation('site.create', { site_type: 'checkpoint', name: 'Checkpoint 7' });
    site.captured_at = '2026-02-28T23:59:00+01:00';
    const response = await sync([site], ownerCookie, deviceTime);
    assert.equal(response.clock_skew_flagged, true);
    assert.ok(response.clock_offset_seconds < -3 * 3600 + 60 && response.clock_offset_seconds > -3 * 3600 - 60);
    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sync-operations?record_id=${site.record_id}`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    const [row] = listed.json<{ items: Record<string, unknown>[] }>().items;
    assert.equal(row!.op_id, site.op_id);
    assert.equal(row!.captured_at, '2026-02-28T22:59:00.000Z');
    assert.equal(row!.captured_at_as_sent, '2026-02-28T23:59:00+01:00');
    assert.equal(row!.clock_skew_flagged, true);
    assert.equal(row!.device_id, deviceId);
    assert.equal(row!.received_at, response.server_time);
    const inTime = await sync([operation('site.create', { site_type: 'cache', name: 'On time' })]);
    assert.equal(inTime.clock_skew_flagged, false);
    const flagged = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sync-operations?clock_skew_flagged=true&limit=500`,
      headers: { cookie: ownerCookie },
    });
    assert.deepEqual(
      flagged.json<{ items: { op_id: string }[] }>().items.map((entry) => entry.op_id),
      [site.op_id],
    );
  });

  it('refuses writes by a viewer and answers another team the same not-found as elsewhere', async () => {
    const byViewer = await sync([operation('site.create', { site_type: 'cache', name: 'Viewer site' })], viewerCookie);
    assert.deepEqual(statuses(byViewer), ['rejected']);
    assert.equal(codeOf(byViewer.results[0]), 'forbidden');
    const intoOther = operation(
      'site.create',
      { site_type: 'cache', name: 'Not mine' },
      { investigation_id: world.otherInvestigationId },
    );
    const byOwner = await sync([intoOther]);
    assert.equal(codeOf(byOwner.results[0]), 'not_found');
    assert.equal(byOwner.results[0]!.problem!.status, 404);
    const rest = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.otherInvestigationId}/sites`,
      headers: { cookie: ownerCookie },
      payload: { site_type: 'cache', name: 'Not mine' },
    });
    assert.equal(rest.statusCode, 404);
    assert.equal(rest.json<{ detail: string }>().detail, byOwner.results[0]!.problem!.detail);
    // An outsider's blocked-looking operation is refused, never told whether the site exists.
    const probing = operation('item.create', { site_id: uuidv7(), category: 'other' });
    const byOutsider = await sync([probing], outsiderCookie);
    assert.equal(codeOf(byOutsider.results[0]), 'not_found');
    const listing = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sync-operations`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(listing.statusCode, 404);
    const unauthenticated = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      payload: { device_id: deviceId, device_time: new Date().toISOString(), operations: [] },
    });
    assert.equal(unauthenticated.statusCode, 401);
  });

  it('refuses a malformed envelope as a whole', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sync',
      headers: { cookie: ownerCookie },
      payload: { device_id: deviceId, device_time: 'yesterday', operations: [{ op_id: 'x' }] },
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json<{ code: string }>().code, 'validation_failed');
  });
});
