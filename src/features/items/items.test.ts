import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { createSite, createZone } from '../sites/service.js';
import type { ItemDetail } from './schema.js';

describe('items API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let viewerCookie: string;
  let investigatorCookie: string;
  let outsiderCookie: string;
  let siteId: string;
  let otherSiteId: string;
  let zoneId: string;
  let otherZoneId: string;
  let foreignSiteId: string;

  async function addMember(username: string, role: string) {
    await createTestUser(world.db, username);
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username, role },
    });
    assert.equal(added.statusCode, 201, added.body);
    return world.cookieFor(username);
  }

  async function postItem(payload: Record<string, unknown>, cookie = ownerCookie) {
    return world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/items`,
      headers: { cookie },
      payload,
    });
  }

  async function addItem(payload: Record<string, unknown>, cookie = ownerCookie) {
    const response = await postItem({ site_id: siteId, ...payload }, cookie);
    assert.equal(response.statusCode, 201, response.body);
    return response.json<ItemDetail>();
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    viewerCookie = await addMember('item-viewer', 'viewer');
    investigatorCookie = await addMember('item-investigator', 'investigator');
    const site = await createSite(world.db, world.owner, world.investigationId, {
      site_type: 'cache',
      name: 'Farmhouse cellar',
    });
    const otherSite = await createSite(world.db, world.owner, world.investigationId, {
      site_type: 'production_workshop',
      name: 'Garage workshop',
    });
    const foreignSite = await createSite(world.db, world.outsider, world.otherInvestigationId, {
      site_type: 'cache',
      name: 'Another team’s cache',
    });
    siteId = site.id;
    otherSiteId = otherSite.id;
    foreignSiteId = foreignSite.id;
    zoneId = (await createZone(world.db, world.owner, siteId, { name: 'North room' })).id;
    otherZoneId = (await createZone(world.db, world.owner, otherSiteId, { name: 'Bench' })).id;
  });
  after(async () => {
    await world.close();
  });

  it('creates an item with its markings in one call and returns them on GET', async () => {
    const created = await addItem({
      zone_id: zoneId,
      category: 'mortar_bomb',
      model: '82 mm',
      quantity: 12,
      condition: 'corroded',
      production_type: 'factory',
      tags: ['  Crate-A ', 'crate-a', 'NORTH'],
      external_ref: 'FC-001',
      markings: [
        { text: 'ЗАВОД 12', kind: 'factory_code', position: 'body' },
        { text: '٢٠١٥', kind: 'year' },
      ],
    });
    assert.equal(created.fuze_fitted, 'unknown', 'a mortar bomb with no recorded fuze state is unknown');
    assert.equal(created.safety_device_fitted, null);
    assert.equal(created.disposal_status, 'in_place');
    assert.deepEqual(created.tags, ['crate-a', 'north']);
    assert.equal(created.markings.length, 2);
    assert.equal(created.markings[0]!.script, 'Cyrl');
    assert.equal(created.markings[1]!.normalized, '2015');

    const fetched = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${created.id}`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(fetched.statusCode, 200, fetched.body);
    assert.equal(fetched.json().quantity, 12);
    assert.deepEqual(
      fetched.json<{ markings: { text: string }[] }>().markings.map((marking) => marking.text),
      ['ЗАВОД 12', '٢٠١٥'],
    );
  });

  it('leaves the fuze state null when it does not apply, and keeps an explicit one', async () => {
    const rifle = await addItem({ category: 'small_arm' });
    assert.equal(rifle.fuze_fitted, null);
    const rocket = await addItem({ category: 'rocket', fuze_fitted: 'no' });
    assert.equal(rocket.fuze_fitted, 'no');
  });

  it('names the field of a bad marking and writes nothing', async () => {
    const response = await postItem({
      site_id: siteId,
      category: 'cartridges',
      external_ref: 'BAD-MARKING',
      markings: [
        { text: '7.62', kind: 'headstamp' },
        { text: '', kind: 'lot' },
      ],
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'validation_failed');
    assert.equal(response.json().fields[0].field, 'markings.1.text');
    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/items?q=BAD-MARKING`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(listed.json().items.length, 0);
  });

  it('names the field of bad item input', async () => {
    const response = await postItem({ site_id: siteId, category: 'spaceship' });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().fields[0].field, 'category');
    const quantity = await postItem({ site_id: siteId, category: 'cartridges', quantity: 0 });
    assert.equal(quantity.statusCode, 400);
    assert.equal(quantity.json().fields[0].field, 'quantity');
  });

  it('refuses a zone of another site and a site of another investigation (database rules)', async () => {
    const wrongZone = await postItem({ site_id: siteId, zone_id: otherZoneId, category: 'fuze' });
    assert.equal(wrongZone.statusCode, 422, wrongZone.body);
    assert.equal(wrongZone.json().code, 'reference_invalid');
    const foreignSite = await postItem({ site_id: foreignSiteId, category: 'fuze' });
    assert.equal(foreignSite.statusCode, 422, foreignSite.body);
    assert.equal(foreignSite.json().code, 'reference_invalid');
    assert.equal(foreignSite.json().fields[0].field, 'site_id');
  });

  it('keeps external references unique in the investigation', async () => {
    await addItem({ category: 'packaging', external_ref: 'PK-1' });
    const duplicate = await postItem({ site_id: siteId, category: 'packaging', external_ref: 'PK-1' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'already_exists');
    assert.equal(duplicate.json().fields[0].field, 'external_ref');
  });

  it('filters and pages the list', async () => {
    await addItem({
      site_id: otherSiteId,
      category: 'production_tool',
      production_type: 'craft',
      observations: 'Lathe',
    });
    const base = `/api/v1/investigations/${world.investigationId}/items`;
    const get = (query: string) =>
      world.app.inject({ method: 'GET', url: `${base}?${query}`, headers: { cookie: ownerCookie } });

    const bySite = (await get(`site_id=${otherSiteId}`)).json();
    assert.equal(bySite.items.length, 1);
    assert.equal(bySite.items[0].category, 'production_tool');
    assert.equal((await get('production_type=craft')).json().items.length, 1);
    // By category, in pages (migration 0038's index), and a category no item has.
    const byCategory = (await get('category=production_tool&limit=1')).json();
    assert.equal(byCategory.items.length, 1);
    assert.equal(byCategory.items[0].category, 'production_tool');
    assert.equal(
      (await get(`category=production_tool&limit=1&after=${byCategory.items[0].id}`)).json().items.length,
      0,
    );
    assert.equal((await get('category=aircraft_bomb')).json().items.length, 0);
    assert.equal((await get('q=lathe')).json().items.length, 1);
    assert.equal((await get('q=%25')).json().items.length, 0, '% is a literal character, not a wildcard');
    assert.equal((await get(`zone_id=${zoneId}`)).json().items.length, 1);
    const hazardous = (await get('hazardous=true')).json();
    assert.ok(hazardous.items.length >= 1);
    assert.ok(
      (hazardous.items as { fuze_fitted: string }[]).every((item) => ['yes', 'unknown'].includes(item.fuze_fitted)),
    );

    const first = (await get('limit=2')).json();
    assert.equal(first.items.length, 2);
    assert.notEqual(first.next_after, null);
    const second = (await get(`limit=2&after=${first.next_after}`)).json();
    assert.ok(second.items[0].id > first.items[1].id);

    const bad = await get('category=spaceship');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'querystring.category');
  });

  it('updates with a version check and archives', async () => {
    const item = await addItem({ category: 'other', model: 'Unknown tube' });
    const url = `/api/v1/items/${item.id}`;
    const updated = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: ownerCookie },
      payload: { version: 1, category: 'rocket', tags: ['Tube'], condition: 'damaged' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().fuze_fitted, 'unknown', 'becoming a rocket puts it on the hazard list');
    assert.deepEqual(updated.json().tags, ['tube']);
    assert.equal(updated.json().model, 'Unknown tube');

    const stale = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: ownerCookie },
      payload: { version: 1, model: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const badZone = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: ownerCookie },
      payload: { version: 2, zone_id: otherZoneId },
    });
    assert.equal(badZone.statusCode, 422);

    const archived = await world.app.inject({
      method: 'POST',
      url: `${url}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'entered twice' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'entered twice');
    const hazards = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/hazards`,
      headers: { cookie: ownerCookie },
    });
    assert.ok(!hazards.json<{ items: { id: string }[] }>().items.some((hazard) => hazard.id === item.id));
  });

  it('lets a viewer read but not write, and an investigator change only their own items', async () => {
    const item = await addItem({ category: 'launcher' });
    const viewerPost = await postItem({ site_id: siteId, category: 'launcher' }, viewerCookie);
    assert.equal(viewerPost.statusCode, 403);
    const viewerPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${item.id}`,
      headers: { cookie: viewerCookie },
      payload: { version: 1, model: 'x' },
    });
    assert.equal(viewerPatch.statusCode, 403);

    const own = await addItem({ category: 'launcher' }, investigatorCookie);
    const ownPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${own.id}`,
      headers: { cookie: investigatorCookie },
      payload: { version: 1, model: 'RPG-7 type' },
    });
    assert.equal(ownPatch.statusCode, 200, ownPatch.body);
    const othersPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${item.id}`,
      headers: { cookie: investigatorCookie },
      payload: { version: 1, model: 'x' },
    });
    assert.equal(othersPatch.statusCode, 403);
  });

  it('hides items from outsiders', async () => {
    const item = await addItem({ category: 'document' });
    const get = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${item.id}`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(get.statusCode, 404);
    for (const path of ['items', 'hazards']) {
      const list = await world.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${world.investigationId}/${path}`,
        headers: { cookie: outsiderCookie },
      });
      assert.equal(list.statusCode, 404, path);
    }
  });

  it('lists hazards known-fuzed first and takes items off once rendered safe (audited)', async () => {
    const unknown = await addItem({ category: 'artillery_projectile' });
    const fuzed = await addItem({ site_id: otherSiteId, category: 'rocket', fuze_fitted: 'yes' });
    const url = `/api/v1/investigations/${world.investigationId}/hazards`;
    const listed = await world.app.inject({ method: 'GET', url, headers: { cookie: viewerCookie } });
    assert.equal(listed.statusCode, 200, listed.body);
    const hazards = listed.json<{ items: { id: string; fuze_fitted: string; site_name: string }[] }>().items;
    assert.equal(hazards[0]!.id, fuzed.id);
    assert.equal(hazards[0]!.site_name, 'Garage workshop');
    assert.ok(hazards.some((hazard) => hazard.id === unknown.id));
    const firstUnknown = hazards.findIndex((hazard) => hazard.fuze_fitted === 'unknown');
    assert.ok(hazards.slice(firstUnknown).every((hazard) => hazard.fuze_fitted === 'unknown'));

    const disposalUrl = `/api/v1/items/${fuzed.id}/disposal`;
    const moved = await world.app.inject({
      method: 'PATCH',
      url: disposalUrl,
      headers: { cookie: ownerCookie },
      payload: { version: 1, disposal_status: 'transferred', note: 'Referred to the clearance team' },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().disposal_note, 'Referred to the clearance team');
    const stale = await world.app.inject({
      method: 'PATCH',
      url: disposalUrl,
      headers: { cookie: ownerCookie },
      payload: { version: 1, disposal_status: 'rendered_safe' },
    });
    assert.equal(stale.statusCode, 409);
    const badStatus = await world.app.inject({
      method: 'PATCH',
      url: disposalUrl,
      headers: { cookie: ownerCookie },
      payload: { version: 2, disposal_status: 'exploded' },
    });
    assert.equal(badStatus.statusCode, 400);
    assert.equal(badStatus.json().fields[0].field, 'disposal_status');
    const viewerChange = await world.app.inject({
      method: 'PATCH',
      url: disposalUrl,
      headers: { cookie: viewerCookie },
      payload: { version: 2, disposal_status: 'rendered_safe' },
    });
    assert.equal(viewerChange.statusCode, 403);
    const safe = await world.app.inject({
      method: 'PATCH',
      url: disposalUrl,
      headers: { cookie: ownerCookie },
      payload: { version: 2, disposal_status: 'rendered_safe' },
    });
    assert.equal(safe.statusCode, 200, safe.body);
    assert.equal(safe.json().disposal_note, null);

    const after = await world.app.inject({ method: 'GET', url, headers: { cookie: ownerCookie } });
    assert.ok(!after.json<{ items: { id: string }[] }>().items.some((hazard) => hazard.id === fuzed.id));

    const audit = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/audit?entity_id=${fuzed.id}`,
      headers: { cookie: ownerCookie },
    });
    const actions = audit.json<{ items: { action: string }[] }>().items.map((entry) => entry.action);
    assert.deepEqual(actions, ['item.disposal', 'item.disposal', 'item.create']);
  });

  it('leaves an audit trail that matches every row', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });
});
