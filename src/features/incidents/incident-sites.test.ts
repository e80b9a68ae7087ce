// An incident involving several sites: linked and unlinked through the API (audited, one transaction each), the
// incident's own site_id kept among its links, the list filter by any linked site, and the migration that turned
// each incident's single site into its first link.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { archiveSite, createSite } from '../sites/service.js';
import { createIncident } from './service.js';

describe('incident sites', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, 'reader');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
  });
  after(async () => {
    await world.close();
  });

  const site = (name: string, investigationId = world.investigationId, actor = world.owner) =>
    createSite(world.db, actor, investigationId, { site_type: 'cache', name });

  it('links and unlinks sites, audited, keeping site_id among the links', async () => {
    const cookie = await world.cookieFor('owner');
    const [first, second, third] = [await site('first cache'), await site('second cache'), await site('road')];
    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'seizure',
      title: 'Seizure from two caches',
      site_id: first.id,
    });
    assert.deepEqual(incident.site_ids, [first.id], 'the site given on creation is linked');

    const inject = (method: 'POST' | 'DELETE' | 'GET', url: string, payload?: object) =>
      world.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });
    const linked = await inject('POST', `/api/v1/incidents/${incident.id}/sites`, { site_id: second.id });
    assert.equal(linked.statusCode, 201, linked.body);
    assert.deepEqual(linked.json().site_ids, [first.id, second.id]);
    await inject('POST', `/api/v1/incidents/${incident.id}/sites`, { site_id: third.id });

    const again = await inject('POST', `/api/v1/incidents/${incident.id}/sites`, { site_id: second.id });
    assert.equal(again.statusCode, 409, again.body);
    assert.equal(again.json().fields[0].field, 'site_id');

    const foreign = await site('their site', world.otherInvestigationId, world.outsider);
    const elsewhere = await inject('POST', `/api/v1/incidents/${incident.id}/sites`, { site_id: foreign.id });
    assert.equal(elsewhere.statusCode, 422, elsewhere.body);
    assert.equal(elsewhere.json().fields[0].field, 'site_id');

    const viewer = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/sites`,
      headers: { cookie: await world.cookieFor('reader') },
      payload: { site_id: first.id },
    });
    assert.equal(viewer.statusCode, 403, viewer.body);

    // Filtered by any linked site, not only the first.
    const bySecond = await inject(
      'GET',
      `/api/v1/investigations/${world.investigationId}/incidents?site_id=${second.id}`,
    );
    const listed = bySecond.json<{ items: { id: string }[] }>();
    assert.deepEqual(
      listed.items.map((row) => row.id),
      [incident.id],
    );

    // Unlinking the incident's own site moves site_id to the earliest site still linked, as an audited edit.
    const unlinked = await inject('DELETE', `/api/v1/incidents/${incident.id}/sites/${first.id}`);
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    assert.deepEqual(unlinked.json().site_ids, [second.id, third.id]);
    assert.equal(unlinked.json().site_id, second.id);
    assert.equal(unlinked.json().version, 2);
    const missing = await inject('DELETE', `/api/v1/incidents/${incident.id}/sites/${first.id}`);
    assert.equal(missing.statusCode, 404, missing.body);

    const rows = await world.db
      .selectFrom('incident_sites')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .orderBy('created_at')
      .execute();
    assert.deepEqual(
      rows.map((row) => [row.site_id, row.created_by]),
      [
        [second.id, world.owner.userId],
        [third.id, world.owner.userId],
      ],
    );
    const actions = await world.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('entity_id', '=', incident.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      actions.map((entry) => entry.action),
      [
        'incident.create',
        'incident.link_site',
        'incident.link_site',
        'incident.link_site',
        'incident.unlink_site',
        'incident.update',
      ],
    );
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });

  it('refuses to link an archived site', async () => {
    const cookie = await world.cookieFor('owner');
    const gone = await site('closed site');
    await archiveSite(world.db, world.owner, gone.id, { version: 1, reason: 'Entered twice' });
    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'accident',
      title: 'Accident',
    });
    assert.deepEqual(incident.site_ids, []);
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incident.id}/sites`,
      headers: { cookie },
      payload: { site_id: gone.id },
    });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal(response.json().code, 'archived');
  });

  it('migrates each incident’s single site into its first link', async () => {
    const place = await site('migrated site');
    const incident = await createIncident(world.db, world.owner, world.investigationId, {
      incident_type: 'attack',
      title: 'Before the migration',
      site_id: place.id,
    });
    // As before 0017: the site only in incidents.site_id. Then the migration's copy, as written.
    await world.db.deleteFrom('incident_sites').execute();
    const migration = await readFile(new URL('../../../migrations/0017_incident_sites.sql', import.meta.url), 'utf8');
    const copy = migration.slice(migration.indexOf('INSERT INTO incident_sites'));
    await sql.raw(copy).execute(world.db);
    const links = await world.db
      .selectFrom('incident_sites')
      .selectAll()
      .where('incident_id', '=', incident.id)
      .execute();
    assert.equal(links.length, 1);
    assert.equal(links[0]!.site_id, place.id);
    assert.equal(links[0]!.created_by, world.owner.userId);
    assert.equal(links[0]!.created_at.toISOString(), incident.created_at);
  });
});
