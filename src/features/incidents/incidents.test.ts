import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { Actor } from '../access/schema.js';
import { recordChange, verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createIncident, linkIncidentItem } from './service.js';

/**
 * A site with one item on it, written the way the application writes them
 * (row and audit entry in one transaction), without depending on those
 * features' code.
 */
async function addAuditedItem(
  world: TestWorld,
  actor: Actor,
  investigationId: string,
): Promise<{ siteId: string; itemId: string }> {
  return world.db.transaction().execute(async (trx) => {
    const now = new Date();
    const stamp = { created_by: actor.userId, created_at: now, updated_at: now };
    const site = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_type: 'checkpoint',
        name: 'North checkpoint',
        names: '{}',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_id: site.id,
        category: 'small_arm',
        quantity: 1,
        production_type: 'factory',
        disposal_status: 'moved_to_storage',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'site.create',
      entityType: 'sites',
      entityId: site.id,
      investigationId,
      after: site,
    });
    await recordChange(trx, actor, {
      action: 'item.create',
      entityType: 'items',
      entityId: item.id,
      investigationId,
      after: item,
    });
    return { siteId: site.id, itemId: item.id };
  });
}

describe('incidents API', () => {
  let world: TestWorld;
  let ours: { siteId: string; itemId: string };
  let theirs: { siteId: string; itemId: string };
  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, 'reader');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
    ours = await addAuditedItem(world, world.owner, world.investigationId);
    theirs = await addAuditedItem(world, world.outsider, world.otherInvestigationId);
  });
  after(async () => {
    await world.close();
  });

  it('records an incident, links items, updates with a version check and archives', async () => {
    const cookie = await world.cookieFor('owner');
    const created = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/incidents`,
      headers: { cookie },
      payload: {
        incident_type: 'seizure',
        title: 'Seizure at the north checkpoint',
        occurred_on: '2017-03-02',
        site_id: ours.siteId,
        latitude: 36.34,
        longitude: 43.13,
        place: 'North checkpoint',
        killed: 0,
        injured: 2,
        description: 'Vehicle stopped; contents handed to the investigating team.',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const incident = created.json();
    assert.equal(incident.incident_type, 'seizure');
    assert.equal(incident.occurred_on, '2017-03-02');
    assert.deepEqual(incident.item_ids, []);

    const linked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/items`,
      headers: { cookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(linked.statusCode, 201, linked.body);
    assert.deepEqual(linked.json().item_ids, [ours.itemId]);
    assert.equal(linked.json().version, 1);

    const audited = await world.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'incident.link_item')
      .where('entity_id', '=', incident.id)
      .executeTakeFirstOrThrow();
    assert.equal(audited.entity_type, 'incident_items');
    assert.deepEqual(audited.after, { incident_id: incident.id, item_id: ours.itemId });

    const duplicate = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/items`,
      headers: { cookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'already_exists');

    const shown = await world.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${incident.id}`,
      headers: { cookie },
    });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.deepEqual(shown.json().item_ids, [ours.itemId]);

    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/incidents?incident_type=seizure&site_id=${ours.siteId}`,
      headers: { cookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.equal(listed.json().items.length, 1);
    assert.deepEqual(listed.json().items[0].item_ids, [ours.itemId]);
    const otherType = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/incidents?incident_type=attack`,
      headers: { cookie },
    });
    assert.equal(otherType.json().items.length, 0);

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      headers: { cookie },
      payload: { version: 1, injured: 3, latitude: null, longitude: null },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().injured, 3);
    assert.equal(updated.json().latitude, null);
    assert.deepEqual(updated.json().item_ids, [ours.itemId]);

    // A stale version: test/contract/versioned-records.test.ts (every versioned record).

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'recorded twice' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'recorded twice');

    const linkArchived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/items`,
      headers: { cookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(linkArchived.statusCode, 409);
    assert.equal(linkArchived.json().code, 'archived');
  });

  it('names the field of bad input', async () => {
    const cookie = await world.cookieFor('owner');
    const cases: [Record<string, unknown>, string][] = [
      [{ incident_type: 'explosion', title: 'A' }, 'incident_type'],
      [{ incident_type: 'accident', title: '' }, 'title'],
      [{ incident_type: 'accident', title: 'A', killed: -1 }, 'killed'],
      [{ incident_type: 'accident', title: 'A', injured: 1.5 }, 'injured'],
      [{ incident_type: 'accident', title: 'A', occurred_on: '02/03/2017' }, 'occurred_on'],
      [{ incident_type: 'accident', title: 'A', latitude: 36.3 }, 'longitude'],
    ];
    for (const [payload, field] of cases) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/incidents`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
      assert.equal(response.json().fields[0].field, field);
    }
    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'malfunction',
      title: 'Launcher malfunction',
      latitude: 36.3,
      longitude: 43.1,
    });
    const halfPosition = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${incident.id}`,
      headers: { cookie },
      payload: { version: 1, latitude: null },
    });
    assert.equal(halfPosition.statusCode, 400, halfPosition.body);
    assert.equal(halfPosition.json().fields[0].field, 'latitude');
  });

  it('refuses references to another investigation’s records', async () => {
    const cookie = await world.cookieFor('owner');
    const atTheirSite = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/incidents`,
      headers: { cookie },
      payload: { incident_type: 'attack', title: 'Attack', site_id: theirs.siteId },
    });
    assert.equal(atTheirSite.statusCode, 422, atTheirSite.body);
    assert.equal(atTheirSite.json().code, 'reference_invalid');
    assert.equal(atTheirSite.json().fields[0].field, 'site_id');

    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'attack',
      title: 'Attack on a convoy',
    });
    const theirItem = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/items`,
      headers: { cookie },
      payload: { item_id: theirs.itemId },
    });
    assert.equal(theirItem.statusCode, 422, theirItem.body);
    assert.equal(theirItem.json().code, 'reference_invalid');
    assert.equal(theirItem.json().fields[0].field, 'item_id');
  });

  it('hides another team’s incidents and lets a viewer read but not write', async () => {
    const theirIncident = await createIncident(world.db, world.outsider, world.otherInvestigationId, {
      incident_type: 'accident',
      title: 'Their accident',
    });
    await linkIncidentItem(world.db, world.outsider, theirIncident.id, { item_id: theirs.itemId });
    const cookie = await world.cookieFor('owner');
    const get = await world.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${theirIncident.id}`,
      headers: { cookie },
    });
    assert.equal(get.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/incidents`,
      headers: { cookie },
    });
    assert.equal(list.statusCode, 404);

    const ownIncident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'other',
      title: 'Unexplained fire',
    });
    const readerCookie = await world.cookieFor('reader');
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/incidents/${ownIncident.id}`,
      headers: { cookie: readerCookie },
    });
    assert.equal(read.statusCode, 200);
    const create = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/incidents`,
      headers: { cookie: readerCookie },
      payload: { incident_type: 'other', title: 'Written by a viewer' },
    });
    assert.equal(create.statusCode, 403);
    const link = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${ownIncident.id}/items`,
      headers: { cookie: readerCookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(link.statusCode, 403);
    const archive = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${ownIncident.id}/archive`,
      headers: { cookie: readerCookie },
      payload: { version: 1, reason: 'viewer tries to archive' },
    });
    assert.equal(archive.statusCode, 403);
  });

  it('removes an item linked in error, keeping the link and its removal in the audit log', async () => {
    const ownerCookie = await world.cookieFor('owner');
    const created = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/incidents`,
      headers: { cookie: ownerCookie },
      payload: { incident_type: 'accident', title: 'Linked to the wrong crate' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const incidentId = created.json().id as string;
    const linked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/items`,
      headers: { cookie: ownerCookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(linked.statusCode, 201, linked.body);

    const viewerTries = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/incidents/${incidentId}/items/${ours.itemId}`,
      headers: { cookie: await world.cookieFor('reader') },
    });
    assert.equal(viewerTries.statusCode, 403, viewerTries.body);

    const removed = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/incidents/${incidentId}/items/${ours.itemId}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(removed.statusCode, 200, removed.body);
    assert.deepEqual(removed.json().item_ids, []);

    const again = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/incidents/${incidentId}/items/${ours.itemId}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(again.statusCode, 404, again.body);
    assert.equal(again.json().code, 'not_found');

    const history = await world.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'before', 'after'])
      .where('entity_type', '=', 'incident_items')
      .where('entity_id', '=', incidentId)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      history.map((entry) => entry.action),
      ['incident.link_item', 'incident.unlink_item'],
    );
    assert.equal(history[1]!.actor_id, world.owner.userId);
    assert.deepEqual(history[1]!.before, { incident_id: incidentId, item_id: ours.itemId });
    assert.equal(history[1]!.after, null);

    // Linked again once the mistake is undone: the history grows, nothing is rewritten.
    const relinked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/items`,
      headers: { cookie: ownerCookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(relinked.statusCode, 201, relinked.body);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200, response.body);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    for (const path of [
      '/api/v1/investigations/{id}/incidents',
      '/api/v1/incidents/{id}',
      '/api/v1/incidents/{id}/archive',
      '/api/v1/incidents/{id}/items',
    ]) {
      assert.ok(paths.includes(path), path);
    }
  });

  it('audits every write so the chain and the records verify', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
