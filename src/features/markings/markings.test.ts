import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { translateDatabaseError } from '../../db/postgres-errors.js';
import { DomainError } from '../../errors.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';
import * as repository from './repository.js';

describe('markings API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let viewerCookie: string;
  let outsiderCookie: string;
  let itemId: string;
  let secondItemId: string;
  let foreignItemId: string;

  async function addMarking(payload: Record<string, unknown>, item = itemId, cookie = ownerCookie) {
    return world.app.inject({
      method: 'POST',
      url: `/api/v1/items/${item}/markings`,
      headers: { cookie },
      payload,
    });
  }

  async function search(query: string, cookie = ownerCookie) {
    return world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/markings?${query}`,
      headers: { cookie },
    });
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    await createTestUser(world.db, 'marking-viewer');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'marking-viewer', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    viewerCookie = await world.cookieFor('marking-viewer');
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'Cellar' });
    itemId = (
      await createItem(world.db, world.owner, world.investigationId, { site_id: site.id, category: 'small_arm' })
    ).id;
    secondItemId = (
      await createItem(world.db, world.owner, world.investigationId, { site_id: site.id, category: 'cartridges' })
    ).id;
    const foreignSite = await createSite(world.db, world.outsider, world.otherInvestigationId, {
      site_type: 'cache',
      name: 'Elsewhere',
    });
    foreignItemId = (
      await createItem(world.db, world.outsider, world.otherInvestigationId, {
        site_id: foreignSite.id,
        category: 'small_arm',
      })
    ).id;
  });
  after(async () => {
    await world.close();
  });

  it('records a marking exactly as transcribed and derives the rest', async () => {
    const response = await addMarking({ text: 'Завод-12/۱۹۸۵', kind: 'factory_code', position: ' left side ' });
    assert.equal(response.statusCode, 201, response.body);
    const marking = response.json();
    assert.equal(marking.text, 'Завод-12/۱۹۸۵');
    assert.equal(marking.normalized, 'завод121985');
    assert.equal(marking.script, 'mixed');
    assert.equal(marking.legibility, 'legible');
    assert.equal(marking.position, ' left side ', 'stored as sent, never trimmed');

    const partial = (await addMarking({ text: 'AB 12?4', kind: 'serial' })).json();
    assert.equal(partial.script, 'Latn');
    assert.equal(partial.legibility, 'partial');
    const given = (await addMarking({ text: '????', kind: 'lot', script: 'Cyrl' })).json();
    assert.equal(given.script, 'Cyrl');
    assert.equal(given.legibility, 'illegible');

    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/markings`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.equal(listed.json().items.length, 3);
  });

  it('names the field of bad input', async () => {
    const kind = await addMarking({ text: '123', kind: 'tattoo' });
    assert.equal(kind.statusCode, 400);
    assert.equal(kind.json().fields[0].field, 'kind');
    const blank = await addMarking({ text: '   ', kind: 'serial' });
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().fields[0].field, 'text');
    const script = await addMarking({ text: '123', kind: 'serial', script: 'latin' });
    assert.equal(script.statusCode, 400);
    assert.equal(script.json().fields[0].field, 'script');
  });

  it('corrects a marking with a version check, re-deriving from the new text', async () => {
    const marking = (await addMarking({ text: '7?2', kind: 'lot' })).json();
    const url = `/api/v1/markings/${marking.id}`;
    const updated = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: ownerCookie },
      payload: { version: 1, text: 'Лот 762' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().normalized, 'лот762');
    assert.equal(updated.json().legibility, 'legible');
    assert.equal(updated.json().script, 'Cyrl');

    const stale = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: ownerCookie },
      payload: { version: 1, kind: 'serial' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const viewer = await world.app.inject({
      method: 'PATCH',
      url,
      headers: { cookie: viewerCookie },
      payload: { version: 2, kind: 'serial' },
    });
    assert.equal(viewer.statusCode, 403);

    const archived = await world.app.inject({
      method: 'POST',
      url: `${url}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'misread, see photo' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const item = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}`,
      headers: { cookie: ownerCookie },
    });
    assert.ok(!item.json<{ markings: { id: string }[] }>().markings.some((entry) => entry.id === marking.id));
  });

  it('finds markings by normalized text, closest first', async () => {
    await addMarking({ text: 'AK-47 No. 1234', kind: 'model' }, secondItemId);
    await addMarking({ text: 'AK47', kind: 'model' }, secondItemId);
    await addMarking({ text: 'PKM 99', kind: 'model' }, secondItemId);

    const found = await search('q=ak 47');
    assert.equal(found.statusCode, 200, found.body);
    const texts = found.json<{ items: { text: string }[] }>().items.map((entry) => entry.text);
    assert.deepEqual(texts.slice(0, 2), ['AK47', 'AK-47 No. 1234']);
    assert.ok(!texts.includes('PKM 99'));
    assert.equal(found.json().items[0].similarity, 1);

    const arabicDigits = (await search(`q=${encodeURIComponent('١٢٣٤')}`)).json<{ items: { text: string }[] }>();
    assert.ok(arabicDigits.items.some((entry) => entry.text === 'AK-47 No. 1234'));

    const byKind = (await search('kind=model&limit=2')).json();
    assert.equal(byKind.items.length, 2);
    assert.equal(byKind.items[0].similarity, null);
    assert.notEqual(byKind.next_after, null);

    const empty = await search('q=--');
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().fields[0].field, 'q');
    assert.equal((await search('q=ak47', viewerCookie)).statusCode, 200);
    assert.equal((await search('q=ak47', outsiderCookie)).statusCode, 404);
  });

  it('hides markings from outsiders and refuses markings on archived items', async () => {
    const marking = (await addMarking({ text: 'S/N 5', kind: 'serial' })).json();
    const get = await world.app.inject({
      method: 'GET',
      url: `/api/v1/markings/${marking.id}`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(get.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/items/${itemId}/markings`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(list.statusCode, 404);
    const onForeign = await addMarking({ text: '1', kind: 'serial' }, foreignItemId);
    assert.equal(onForeign.statusCode, 404);
    assert.equal((await addMarking({ text: '1', kind: 'serial' }, itemId, viewerCookie)).statusCode, 403);

    const archivable = await createItem(world.db, world.owner, world.investigationId, {
      site_id: (await world.db.selectFrom('items').select('site_id').where('id', '=', itemId).executeTakeFirstOrThrow())
        .site_id,
      category: 'document',
    });
    await world.app.inject({
      method: 'POST',
      url: `/api/v1/items/${archivable.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, reason: 'not relevant' },
    });
    const onArchived = await addMarking({ text: '1', kind: 'serial' }, archivable.id);
    assert.equal(onArchived.statusCode, 409);
    assert.equal(onArchived.json().code, 'archived');
  });

  it('refuses in the database a marking filed under another investigation than its item', async () => {
    const now = new Date();
    await assert.rejects(
      repository.insertMarking(world.db, {
        id: uuidv7(),
        investigation_id: world.otherInvestigationId,
        item_id: itemId,
        text: '1',
        normalized: '1',
        kind: 'serial',
        legibility: 'legible',
        created_by: world.owner.userId,
        created_at: now,
        updated_at: now,
      }),
      (error: unknown) => {
        const translated = translateDatabaseError(error);
        assert.ok(translated instanceof DomainError);
        assert.equal(translated.code, 'reference_invalid');
        return true;
      },
    );
  });

  it('leaves an audit trail that matches every row', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
