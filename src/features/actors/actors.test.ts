import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createActor } from './service.js';

/** One field of every record in a list response. */
function pluck(body: unknown, list: 'items' | 'claims', field: string): unknown[] {
  return (body as Record<string, Record<string, unknown>[]>)[list]!.map((entry) => entry[field]);
}

describe('actors API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  const actorsUrl = () => `/api/v1/investigations/${world.investigationId}/actors`;

  it('creates, reads, updates with a version check and archives an actor', async () => {
    const created = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: {
        actor_type: 'manufacturer',
        name: '  Factory 10 ',
        aliases: [' Завод 10 ', 'Завод 10', '', 'F10'],
        country_code: 'ru',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const actor = created.json();
    assert.equal(actor.name, 'Factory 10');
    assert.deepEqual(actor.aliases, ['Завод 10', 'F10']);
    assert.equal(actor.country_code, 'RU');
    assert.equal(actor.version, 1);

    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${actor.id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().name, 'Factory 10');

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${actor.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, country_code: null, notes: 'Country unconfirmed' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().country_code, null);
    assert.equal(updated.json().version, 2);

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${actor.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, name: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/actors/${actor.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'duplicate of another actor' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'duplicate of another actor');

    const hidden = await world.app.inject({ method: 'GET', url: actorsUrl(), headers: { cookie: ownerCookie } });
    assert.ok(!pluck(hidden.json(), 'items', 'id').includes(actor.id));
    const shown = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?include_archived=true`,
      headers: { cookie: ownerCookie },
    });
    assert.ok(pluck(shown.json(), 'items', 'id').includes(actor.id));
  });

  it('filters by type, country and a name or alias in any case and script', async () => {
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'manufacturer',
      name: 'Arsenal Nord',
      aliases: ['Арсенал Север'],
      country_code: 'BG',
    });
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'state',
      name: 'Republic of Example',
      country_code: 'XE',
    });
    await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'armed_group',
      name: 'Group 50%_off',
    });

    const list = async (query: string) => {
      const response = await world.app.inject({
        method: 'GET',
        url: `${actorsUrl()}?${query}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as { name: string }[]).map((entry) => entry.name);
    };
    assert.deepEqual(await list('actor_type=state'), ['Republic of Example']);
    assert.deepEqual(await list('country_code=bg'), ['Arsenal Nord']);
    assert.deepEqual(await list(`q=${encodeURIComponent('арсенал')}`), ['Arsenal Nord']);
    assert.deepEqual(await list('q=NORD'), ['Arsenal Nord']);
    assert.deepEqual(await list(`q=${encodeURIComponent('%_')}`), ['Group 50%_off']);
    assert.deepEqual(await list('q=nothing-like-this'), []);

    const renamed = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'company',
      name: 'Old Trading Name',
    });
    const patched = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${renamed.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, aliases: ['ΝΕΑ ΕΜΠΟΡΙΚΗ'] },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().names_folded, undefined);
    assert.deepEqual(await list(`q=${encodeURIComponent('νεα εμπ')}`), ['Old Trading Name']);

    const firstPage = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?limit=1`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(firstPage.json().items.length, 1);
    assert.notEqual(firstPage.json().next_after, null);
  });

  it('names the field of bad input', async () => {
    const badCountry = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: { actor_type: 'state', name: 'Somewhere', country_code: 'USA' },
    });
    assert.equal(badCountry.statusCode, 400);
    assert.equal(badCountry.json().code, 'validation_failed');
    assert.equal(badCountry.json().fields[0].field, 'country_code');

    const badType = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: ownerCookie },
      payload: { actor_type: 'smuggler', name: 'Somebody' },
    });
    assert.equal(badType.statusCode, 400);
    assert.equal(badType.json().fields[0].field, 'actor_type');

    const badFilter = await world.app.inject({
      method: 'GET',
      url: `${actorsUrl()}?country_code=1`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(badFilter.statusCode, 400);
    assert.equal(badFilter.json().fields[0].field, 'querystring.country_code');
  });

  it('hides another team’s actors and keeps viewers from writing', async () => {
    const foreign = await createActor(world.db, world.outsider, world.otherInvestigationId, {
      actor_type: 'company',
      name: 'Foreign trading house',
    });
    const readForeign = await world.app.inject({
      method: 'GET',
      url: `/api/v1/actors/${foreign.id}`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(readForeign.statusCode, 404);
    const listForeign = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/actors`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(listForeign.statusCode, 404);

    await createTestUser(world.db, 'actor-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'actor-viewer', role: 'viewer' });
    const viewerCookie = await world.cookieFor('actor-viewer');
    const create = await world.app.inject({
      method: 'POST',
      url: actorsUrl(),
      headers: { cookie: viewerCookie },
      payload: { actor_type: 'unit', name: '3rd Brigade' },
    });
    assert.equal(create.statusCode, 403);
    assert.equal(create.json().code, 'forbidden');
    const own = await createActor(world.db, world.owner, world.investigationId, {
      actor_type: 'unit',
      name: '4th Brigade',
    });
    const change = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/actors/${own.id}`,
      headers: { cookie: viewerCookie },
      payload: { version: 1, name: 'Renamed by a viewer' },
    });
    assert.equal(change.statusCode, 403);
    const readable = await world.app.inject({ method: 'GET', url: actorsUrl(), headers: { cookie: viewerCookie } });
    assert.equal(readable.statusCode, 200);
  });

  it('keeps an actor name non-blank in the database too', async () => {
    await assert.rejects(
      world.db
        .insertInto('actors')
        .values({
          id: '01900000-0000-7000-8000-000000000001',
          investigation_id: world.investigationId,
          actor_type: 'other',
          name: '   ',
          names_folded: '',
          created_by: world.owner.userId,
          created_at: new Date(),
          updated_at: new Date(),
        })
        .execute(),
      (error: { code?: string }) => error.code === '23514',
    );
  });

  it('audits every write with the row as stored', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
