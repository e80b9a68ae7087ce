import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toProblem } from '../../errors.js';
import { parseMarkingQuery } from '../../parsing/marking-query.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { addMember } from '../investigations/service.js';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';
import { runMarkingSearch } from './service.js';

// What a search leaves out for a reader without sight of restricted records (restricted markings, markings of
// restricted items, markings of items at restricted sites), read once per statement since migration 0038; and the
// search's budget of database time (search_too_broad).
describe('marking search: restricted records and the budget', () => {
  let world: TestWorld;
  const markingOf: Record<string, string> = {};

  const reason = { sensitivity: 'restricted', sensitivity_reason: 'Informant safety' } as const;

  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, 'viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'viewer', role: 'viewer' });
    const site = async (name: string, restricted: boolean) =>
      (
        await createSite(world.db, world.owner, world.investigationId, {
          site_type: 'cache',
          name,
          latitude: 36.3,
          longitude: 43.1,
          ...(restricted ? reason : { sensitivity: 'internal' }),
        })
      ).id;
    const openSite = await site('Open site', false);
    const closedSite = await site('Closed site', true);
    const item = async (key: string, siteId: string, restrictedItem: boolean, restrictedMarking = false) => {
      const created = await createItem(world.db, world.owner, world.investigationId, {
        site_id: siteId,
        external_ref: key,
        category: 'small_arm',
        ...(restrictedItem ? reason : { sensitivity: 'internal' }),
        markings: [
          { text: 'KL 480115', kind: 'serial', ...(restrictedMarking ? reason : { sensitivity: 'internal' }) },
        ],
      });
      markingOf[key] = created.markings[0]!.id;
    };
    await item('open', openSite, false);
    await item('restricted marking', openSite, false, true);
    await item('restricted item', openSite, true);
    await item('at restricted site', closedSite, false);
  });

  after(async () => {
    await world.close();
  });

  async function found(username: string, url: string): Promise<string[]> {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1${url}`,
      headers: { cookie: await world.cookieFor(username) },
    });
    assert.equal(response.statusCode, 200, response.body);
    const ids = response.json<{ items: { id: string }[] }>().items.map((hit) => hit.id);
    return Object.entries(markingOf)
      .filter(([, id]) => ids.includes(id))
      .map(([key]) => key)
      .sort();
  }

  it('a viewer finds only the marking of the visible item at the visible site, across and within investigations', async () => {
    const q = encodeURIComponent('KL 480115');
    assert.deepEqual(await found('viewer', `/markings/search?q=${q}`), ['open']);
    assert.deepEqual(await found('viewer', `/investigations/${world.investigationId}/markings?q=${q}`), ['open']);
    assert.deepEqual(await found('viewer', `/markings/seen-elsewhere?text=${q}`), ['open']);
  });

  it('the owner, who sees restricted records, finds all four', async () => {
    const q = encodeURIComponent('KL 480115');
    const all = ['at restricted site', 'open', 'restricted item', 'restricted marking'];
    assert.deepEqual(await found('owner', `/markings/search?q=${q}`), all);
    assert.deepEqual(await found('owner', `/investigations/${world.investigationId}/markings?q=${q}`), all);
    assert.deepEqual(await found('admin', `/markings/search?q=${q}`), all);
  });

  it('a search past its budget of database time is refused as search_too_broad, saying how to narrow it', async () => {
    const refused = await runMarkingSearch(
      world.db,
      parseMarkingQuery('KL 480115'),
      { investigationIds: [world.investigationId], includeArchived: false, restrictedIn: undefined },
      10,
      // Spent before its first statement: no timing involved.
      { budgetMs: -1 },
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    const problem = toProblem(refused);
    assert.equal(problem.code, 'search_too_broad');
    assert.equal(problem.status, 422);
    assert.match(problem.detail, /Narrow it/);
  });
});
