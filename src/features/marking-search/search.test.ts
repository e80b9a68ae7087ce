import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { recordChange, verifyAudit } from '../audit/service.js';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';
import { normalizeMarking } from '../../parsing/marking-text.js';

interface Hit {
  id: string;
  text: string;
  kind: string;
  item: { id: string; external_ref: string | null; category: string };
  site: { id: string; name: string };
  score: number;
  cost: number;
  differences: { kind: string; query: string | null; marking: string | null }[];
  explanation: string;
}

describe('marking search', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let adminCookie: string;
  let outsiderCookie: string;
  let cellarId: string;
  let depotId: string;
  let firstRifleId: string;

  async function get(url: string, cookie = ownerCookie) {
    return world.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
  }

  async function search(query: string, cookie = ownerCookie, extra = ''): Promise<Hit[]> {
    const response = await get(`/markings/search?q=${encodeURIComponent(query)}${extra}`, cookie);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ items: Hit[] }>().items;
  }

  async function addItem(
    siteId: string,
    ref: string,
    category: 'small_arm' | 'cartridges',
    markings: { text: string; kind: 'serial' | 'lot' | 'factory_code' | 'headstamp' }[],
    investigationId = world.investigationId,
    actor = world.owner,
  ): Promise<string> {
    const item = await createItem(world.db, actor, investigationId, {
      site_id: siteId,
      external_ref: ref,
      category,
      model: category === 'small_arm' ? 'AKM' : '7.62x39',
      markings,
    });
    return item.id;
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    adminCookie = await world.cookieFor('admin');
    outsiderCookie = await world.cookieFor('outsider');
    cellarId = (
      await createSite(world.db, world.owner, world.investigationId, {
        site_type: 'cache',
        name: 'Cellar',
        latitude: 36.34,
        longitude: 43.13,
      })
    ).id;
    depotId = (
      await createSite(world.db, world.owner, world.investigationId, {
        site_type: 'storage_depot',
        name: 'Depot',
        latitude: 36.2,
        longitude: 43.9,
      })
    ).id;
    firstRifleId = await addItem(cellarId, 'R-1', 'small_arm', [
      { text: 'AK 104512', kind: 'serial' },
      { text: 'ЗВ 1985', kind: 'factory_code' },
    ]);
    await addItem(depotId, 'R-2', 'small_arm', [{ text: 'AK 104515', kind: 'serial' }]);
    await addItem(depotId, 'R-3', 'small_arm', [{ text: 'AK-104520', kind: 'serial' }]);
    await addItem(cellarId, 'R-4', 'small_arm', [
      { text: 'AK 204512', kind: 'serial' },
      { text: 'ЗВ 1986', kind: 'factory_code' },
    ]);
    await addItem(cellarId, 'C-1', 'cartridges', [
      { text: 'LOT 12-345-67', kind: 'lot' },
      { text: '38 89', kind: 'headstamp' },
    ]);
    await addItem(depotId, 'C-2', 'cartridges', [{ text: 'ЛОТ 12 345 67', kind: 'lot' }]);
    await addItem(depotId, 'C-3', 'cartridges', [
      { text: 'LOT 12-348-67', kind: 'lot' },
      { text: 'LOT 21-345-67', kind: 'lot' },
    ]);
    const foreignSite = await createSite(world.db, world.outsider, world.otherInvestigationId, {
      site_type: 'cache',
      name: 'Elsewhere',
    });
    await addItem(
      foreignSite.id,
      'F-1',
      'cartridges',
      [{ text: 'LOT 12-345-67', kind: 'lot' }],
      world.otherInvestigationId,
      world.outsider,
    );
  });
  after(async () => {
    await world.close();
  });

  it('finds a look-alike transcription first, saying which characters were look-alikes', async () => {
    const hits = await search('3B-1985');
    assert.equal(hits[0]!.text, 'ЗВ 1985');
    assert.equal(hits[0]!.score, 1);
    assert.deepEqual(
      hits[0]!.differences.filter((difference) => difference.kind === 'look_alike').map((d) => d.marking),
      ['З', 'В'],
    );
    assert.equal(hits[0]!.item.external_ref, 'R-1');
    assert.equal(hits[0]!.site.name, 'Cellar');
    assert.ok(hits.findIndex((hit) => hit.text === 'ЗВ 1986') > 0);
  });

  it('finds the target despite misread characters, above a marking that differs for real', async () => {
    const hits = await search('L0T I2-345-G7');
    const texts = hits.map((hit) => hit.text);
    assert.deepEqual(texts.slice(0, 2).sort(), ['LOT 12-345-67', 'ЛОТ 12 345 67']);
    assert.ok(hits[0]!.differences.some((difference) => difference.kind === 'confusion'));
    assert.ok(texts.indexOf('LOT 12-348-67') > 1);
    assert.ok(!texts.includes('38 89'));
  });

  it('finds the target when separators are missing or added', async () => {
    const hits = await search('LOT1234567');
    assert.deepEqual(
      hits
        .slice(0, 2)
        .map((hit) => hit.text)
        .sort(),
      ['LOT 12-345-67', 'ЛОТ 12 345 67'],
    );
    assert.equal(hits[0]!.score, 1);
    assert.ok(hits.findIndex((hit) => hit.text === 'LOT 21-345-67') > 1);
    assert.equal((await search('AK 1045 20'))[0]!.text, 'AK-104520');
  });

  it('reads ? as an unreadable character, * as any run and [AB] as alternatives', async () => {
    const unreadable = await search('AK 1045?2');
    assert.equal(unreadable[0]!.text, 'AK 104512');
    assert.equal(unreadable[0]!.differences[0]!.kind, 'unreadable');
    assert.ok(unreadable.every((hit) => hit.text !== 'AK 204512' || hit.cost >= 1));
    const run = await search('AK 1045*');
    assert.deepEqual(
      run
        .slice(0, 3)
        .map((hit) => hit.text)
        .sort(),
      ['AK 104512', 'AK 104515', 'AK-104520'],
    );
    assert.ok(run.slice(0, 3).every((hit) => hit.cost < 0.1));
    assert.ok(run.slice(3).every((hit) => hit.cost >= 1));
    const alternatives = await search('LOT 12-34[58]-67');
    assert.ok(alternatives.slice(0, 3).some((hit) => hit.text === 'LOT 12-348-67'));
  });

  it('tolerates an arbitrary typo, ranking it below exact matches', async () => {
    const hits = await search('AK 104513');
    assert.ok(hits.slice(0, 2).some((hit) => hit.text === 'AK 104512'));
    assert.ok(hits[0]!.cost >= 1);
    assert.deepEqual(await search('zzzz qqqq'), []);
  });

  it('ranks a near match of a short query above markings that merely extend it', async () => {
    await addItem(depotId, 'C-4', 'cartridges', [
      { text: '27-735-442', kind: 'lot' },
      { text: 'ЗВ 2013', kind: 'factory_code' },
    ]);
    await addItem(depotId, 'C-5', 'cartridges', [
      { text: '270 735', kind: 'lot' },
      { text: 'ВР 2013', kind: 'factory_code' },
    ]);
    // One character missing inside the query, against a whole segment beyond it.
    const lot = await search('27 735');
    assert.equal(lot[0]!.text, '270 735');
    assert.ok(lot.findIndex((hit) => hit.text === '27-735-442') > 0);
    // The same cost either way: the marking the query covers whole first.
    const code = await search('В 2 013');
    assert.equal(code[0]!.text, 'ВР 2013');
    assert.equal(code[1]!.text, 'ЗВ 2013');
    assert.equal(code[0]!.cost, code[1]!.cost);
    // A longer query that is exactly part of a marking still finds it first.
    assert.equal((await search('27-735-44'))[0]!.text, '27-735-442');
  });

  it('searches only investigations the caller can read; administrators see all', async () => {
    const owner = await search('LOT 12-345-67');
    assert.ok(owner.every((hit) => hit.item.external_ref !== 'F-1'));
    const admin = await search('LOT 12-345-67', adminCookie);
    assert.ok(admin.some((hit) => hit.item.external_ref === 'F-1'));
    const outsider = await search('LOT 12-345-67', outsiderCookie);
    assert.deepEqual(
      outsider.map((hit) => hit.item.external_ref),
      ['F-1'],
    );
    const foreign = await get(`/markings/search?q=LOT&investigation_id=${world.investigationId}`, outsiderCookie);
    assert.equal(foreign.statusCode, 404);
  });

  it('filters by investigation, kind, category and site', async () => {
    const inOne = await search('LOT 12-345-67', adminCookie, `&investigation_id=${world.otherInvestigationId}`);
    assert.deepEqual(
      inOne.map((hit) => hit.item.external_ref),
      ['F-1'],
    );
    assert.ok((await search('1985', ownerCookie, '&kind=serial')).every((hit) => hit.kind === 'serial'));
    assert.deepEqual(await search('ЗВ 1985', ownerCookie, '&category=cartridges'), []);
    const atDepot = await search('AK 1045*', ownerCookie, `&site_id=${depotId}`);
    assert.deepEqual(atDepot.map((hit) => hit.text).sort(), ['AK 104515', 'AK-104520']);
    assert.equal((await search('LOT', ownerCookie, '&recovered_from=2030-01-01')).length, 0);
  });

  it('refuses a query it cannot read, naming the field', async () => {
    for (const query of ['AB[12', '--', '?*']) {
      const response = await get(`/markings/search?q=${encodeURIComponent(query)}`);
      assert.equal(response.statusCode, 400, query);
      assert.equal(response.json().fields[0].field, 'q');
    }
    const bad = await get('/markings/search?q=LOT&kind=tattoo');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'querystring.kind');
  });

  it('shows, as a marking is typed, where it was seen at other items', async () => {
    const seen = async (text: string, extra = '') => {
      const response = await get(
        `/markings/seen-elsewhere?text=${encodeURIComponent(text)}&item_id=${firstRifleId}${extra}`,
      );
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: Hit[] }>().items;
    };
    assert.deepEqual(await seen('AK'), []);
    const typed = await seen('AK 1045');
    assert.deepEqual(typed.map((hit) => hit.text).sort(), ['AK 104515', 'AK-104520']);
    const complete = await seen('ЛОТ 12-345-67');
    assert.deepEqual(
      complete
        .slice(0, 2)
        .map((hit) => hit.item.external_ref)
        .sort(),
      ['C-1', 'C-2'],
    );
    assert.equal(complete[0]!.score, 1);
  });

  it('lists serial runs and shared lots, widest spread first', async () => {
    const runs = await get('/markings/runs?max_gap=10');
    assert.equal(runs.statusCode, 200, runs.body);
    const run = runs.json<{
      items: {
        items: number;
        sites: number;
        model: string;
        first_number: string;
        last_number: string;
        extent_km: number;
        members: { text: string }[];
      }[];
    }>().items[0]!;
    assert.equal(run.items, 3);
    assert.equal(run.sites, 2);
    assert.equal(run.model, 'AKM');
    assert.equal(run.first_number, '104512');
    assert.equal(run.last_number, '104520');
    assert.ok(run.extent_km > 50 && run.extent_km < 90, String(run.extent_km));
    assert.deepEqual(
      run.members.map((member) => member.text),
      ['AK 104512', 'AK 104515', 'AK-104520'],
    );
    assert.equal((await get('/markings/runs?max_gap=4')).json().items.length, 0);

    const lots = await get('/markings/lots');
    assert.equal(lots.statusCode, 200, lots.body);
    assert.equal(lots.json().items.length, 1);
    const [lot] = lots.json().items;
    assert.equal(lot.sites, 2);
    assert.deepEqual([...lot.variants].sort(), ['LOT 12-345-67', 'ЛОТ 12 345 67']);
    const everywhere = (await get('/markings/lots', adminCookie)).json().items[0];
    assert.equal(everywhere.sites, 3);
    assert.equal(everywhere.investigations, 2);
    assert.equal(
      (await get(`/markings/lots?investigation_id=${world.investigationId}`, outsiderCookie)).statusCode,
      404,
    );
  });

  it('computes the search keys of markings written without them, and verify still passes', async () => {
    const itemId = await addItem(cellarId, 'R-9', 'small_arm', []);
    await world.db.transaction().execute(async (trx) => {
      const now = new Date();
      const row = await trx
        .insertInto('markings')
        .values({
          id: uuidv7(),
          investigation_id: world.investigationId,
          item_id: itemId,
          text: 'КЛ-0417',
          normalized: normalizeMarking('КЛ-0417'),
          kind: 'lot',
          legibility: 'legible',
          created_by: world.owner.userId,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordChange(trx, world.owner, {
        action: 'marking.create',
        entityType: 'markings',
        entityId: row.id,
        investigationId: row.investigation_id,
        after: row,
      });
    });
    const hits = await search('KL 0417');
    assert.equal(hits[0]!.text, 'КЛ-0417');
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });

  it('shows while typing every near match search ranks in its first 10, explained the same way', async () => {
    await addItem(cellarId, 'M-1', 'cartridges', [{ text: 'ЗВ 12-8?', kind: 'lot' }]);
    await addItem(depotId, 'M-2', 'cartridges', [{ text: 'КЛ 0417', kind: 'lot' }]);
    await addItem(depotId, 'M-3', 'cartridges', [{ text: 'R-17/04', kind: 'lot' }]);
    const seen = async (text: string): Promise<Hit[]> => {
      const response = await get(`/markings/seen-elsewhere?text=${encodeURIComponent(text)}&item_id=${firstRifleId}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: Hit[] }>().items;
    };
    // The misses: nothing was shown while typing these.
    for (const [typed, stored] of [
      ['ЗВ 12-81', 'ЗВ 12-8?'],
      ['KL-0471', 'КЛ 0417'],
      ['R-17/4', 'R-17/04'],
    ] as const) {
      const searched = (await search(typed, ownerCookie, '&limit=10')).find((hit) => hit.text === stored);
      assert.ok(searched !== undefined, `search finds ${stored} for ${typed}`);
      const shown = (await seen(typed)).find((hit) => hit.text === stored);
      assert.ok(shown !== undefined, `typing ${typed} shows ${stored}`);
      assert.equal(shown.explanation, searched.explanation);
      assert.equal(shown.score, searched.score);
    }
    assert.ok((await seen('ЗВ 12-81'))[0]!.text === 'ЗВ 12-8?');
    // Search's first 10, the item being described left out, in the same order.
    for (const typed of ['AK 1045', 'AK 104513', 'ЗВ 198', 'LOT 12-345', 'L0T I2-345-G7', '38 8', 'KL 04', 'R-17']) {
      const searched = (await search(typed, ownerCookie, '&limit=10')).filter((hit) => hit.item.id !== firstRifleId);
      const shown = await seen(typed);
      assert.deepEqual(
        shown.slice(0, searched.length).map((hit) => [hit.id, hit.explanation]),
        searched.map((hit) => [hit.id, hit.explanation]),
        typed,
      );
    }
  });
});
