import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { translateDatabaseError } from '../../db/postgres-errors.js';
import { DomainError } from '../../errors.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';

describe('custody API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let viewerCookie: string;
  let outsiderCookie: string;
  let itemId: string;

  async function addEvent(payload: Record<string, unknown>, cookie = ownerCookie, item = itemId) {
    return world.app.inject({ method: 'POST', url: `/api/v1/items/${item}/custody`, headers: { cookie }, payload });
  }

  function expectAppendOnly(error: unknown): true {
    const translated = translateDatabaseError(error);
    assert.ok(translated instanceof DomainError, String(error));
    assert.equal(translated.code, 'append_only');
    return true;
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    await createTestUser(world.db, 'custody-viewer');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'custody-viewer', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    viewerCookie = await world.cookieFor('custody-viewer');
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'Cellar' });
    itemId = (
      await createItem(world.db, world.owner, world.investigationId, { site_id: site.id, category: 'small_arm' })
    ).id;
  });
  after(async () => {
    await world.close();
  });

  it('records hand-overs and lists them oldest first', async () => {
    const later = await addEvent({
      from_party: 'Evidence store',
      to_party: 'Laboratory',
      occurred_at: '2024-03-05T09:00:00+03:00',
      place: 'Erbil',
      note: 'For photography',
    });
    assert.equal(later.statusCode, 201, later.body);
    assert.equal(later.json().occurred_at, '2024-03-05T06:00:00.000Z');
    const earlier = await addEvent({
      from_party: ' Site team ',
      to_party: 'Evidence store',
      occurred_at: '2024-03-01T10:00:00Z',
    });
    assert.equal(earlier.statusCode, 201, earlier.body);
    assert.equal(earlier.json().from_party, ' Site team ', 'stored as sent, never trimmed');
    assert.equal(earlier.json().note, '');
    const now = await addEvent({ from_party: 'Laboratory', to_party: 'Evidence store' });
    assert.equal(now.statusCode, 201, now.body);

    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/custody`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(
      listed.json<{ items: { id: string }[] }>().items.map((event) => event.id),
      [earlier.json().id, later.json().id, now.json().id],
    );
  });

  it('names the field of bad input', async () => {
    const blank = await addEvent({ from_party: '  ', to_party: 'Store' });
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().fields[0].field, 'from_party');
    const badTime = await addEvent({ from_party: 'A', to_party: 'B', occurred_at: 'yesterday' });
    assert.equal(badTime.statusCode, 400);
    assert.equal(badTime.json().fields[0].field, 'occurred_at');
  });

  it('lets a viewer read but not record, and hides the chain from outsiders', async () => {
    const viewer = await addEvent({ from_party: 'A', to_party: 'B' }, viewerCookie);
    assert.equal(viewer.statusCode, 403);
    const outsiderList = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/custody`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(outsiderList.statusCode, 404);
    assert.equal((await addEvent({ from_party: 'A', to_party: 'B' }, outsiderCookie)).statusCode, 404);
  });

  it('offers no way to change an event, and the database refuses one', async () => {
    const event = (await addEvent({ from_party: 'A', to_party: 'B' })).json();
    const patch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/items/${itemId}/custody`,
      headers: { cookie: ownerCookie },
      payload: { note: 'rewritten' },
    });
    assert.equal(patch.statusCode, 404);
    await assert.rejects(
      sql`UPDATE custody_events SET note = 'rewritten' WHERE id = ${event.id}`.execute(world.db),
      expectAppendOnly,
    );
    await assert.rejects(sql`DELETE FROM custody_events WHERE id = ${event.id}`.execute(world.db), expectAppendOnly);
    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/custody`,
      headers: { cookie: ownerCookie },
    });
    assert.ok(
      listed
        .json<{ items: { id: string; note: string }[] }>()
        .items.some((entry) => entry.id === event.id && entry.note === ''),
    );
  });

  it('leaves an audit trail that matches every row', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
