import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createActor } from '../actors/service.js';
import { createTraceRequest } from '../trace-requests/service.js';
import { createProvenanceClaim } from '../provenance/service.js';
import { createTestItem, createTestSite, createTestZone } from '../../testing/records.js';

/**
 * A hand-built investigation whose figures are worked out by hand in the
 * comments: 8 items (231 units) at 4 sites.
 */
describe('analysis figures on a known fixture', () => {
  let world: TestWorld;
  let cookie: string;
  const ids: Record<string, string> = {};
  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    const { db, owner, investigationId: inv } = world;
    const actor = async (name: string, actor_type: 'manufacturer' | 'state', country_code: string) =>
      (await createActor(db, owner, inv, { actor_type, name, country_code })).id;
    ids.factoryRu = await actor('Factory RU', 'manufacturer', 'RU');
    ids.factoryCn = await actor('Factory CN', 'manufacturer', 'CN');
    ids.stateRu = await actor('State RU', 'state', 'RU');

    const workshop1 = await createTestSite(db, owner, inv, {
      name: 'Workshop 1',
      site_type: 'production_workshop',
      latitude: 36.1,
      longitude: 43.1,
      recovered_on: '2017-01-18',
    });
    const cache = await createTestSite(db, owner, inv, {
      name: 'Cache 1',
      latitude: 36.2,
      longitude: 43.2,
      recovered_on: '2017-03-10',
    });
    const workshop2 = await createTestSite(db, owner, inv, {
      name: 'Workshop 2',
      site_type: 'production_workshop',
      recovered_on: '2017-03-05',
    });
    const workshop3 = await createTestSite(db, owner, inv, { name: 'Workshop 3', site_type: 'production_workshop' });
    ids.workshop1 = workshop1;
    ids.workshop2 = workshop2;
    const rocketArea = await createTestZone(db, owner, inv, workshop1, 'Rocket area');
    const store = await createTestZone(db, owner, inv, workshop1, 'Store');
    ids.rocketArea = rocketArea;

    const item = (options: Parameters<typeof createTestItem>[3]) => createTestItem(db, owner, inv, options);
    ids.a = await item({ siteId: cache, category: 'cartridges', quantity: 100 });
    ids.b = await item({
      siteId: cache,
      category: 'mortar_bomb',
      quantity: 20,
      markings: [{ text: 'L-1', kind: 'lot' }],
    });
    ids.c = await item({
      siteId: workshop1,
      zoneId: store,
      category: 'mortar_bomb',
      quantity: 10,
      markings: [{ text: 'l 1', kind: 'lot' }],
    });
    ids.d = await item({
      siteId: workshop1,
      zoneId: rocketArea,
      category: 'rocket',
      quantity: 42,
      productionType: 'craft',
    });
    ids.e = await item({
      siteId: workshop1,
      zoneId: rocketArea,
      category: 'launcher',
      quantity: 1,
      productionType: 'craft',
    });
    ids.f = await item({ siteId: workshop2, category: 'rocket', quantity: 5, productionType: 'craft' });
    ids.g = await item({ siteId: cache, category: 'artillery_projectile', quantity: 3 });
    ids.h = await item({ siteId: workshop3, category: 'cartridges', quantity: 50, productionType: 'unknown' });

    const claim = (input: Parameters<typeof createProvenanceClaim>[3]) => createProvenanceClaim(db, owner, inv, input);
    // A: produced in RU (confirmed), exported by RU in the second half of 2010 (probable).
    await claim({
      item_id: ids.a,
      event_type: 'produced',
      actor_id: ids.factoryRu,
      occurred_from: '2000-01-01',
      occurred_to: '2000-12-31',
      confidence: 'confirmed',
    });
    await claim({
      item_id: ids.a,
      event_type: 'exported',
      actor_id: ids.stateRu,
      occurred_from: '2010-06-01',
      occurred_to: '2010-12-31',
      confidence: 'probable',
    });
    // B and C carry lot L1 (two spellings), produced in CN in 1990 (probable).
    await claim({
      lot_marking: 'L1',
      event_type: 'produced',
      actor_id: ids.factoryCn,
      occurred_from: '1990-01-01',
      occurred_to: '1990-12-31',
      confidence: 'probable',
    });
    // G: two possible producers in two countries: contested.
    await claim({
      item_id: ids.g,
      event_type: 'produced',
      actor_id: ids.factoryRu,
      occurred_from: '1985-05-05',
      confidence: 'possible',
    });
    await claim({
      item_id: ids.g,
      event_type: 'produced',
      actor_id: ids.factoryCn,
      occurred_from: '1986-01-01',
      occurred_to: '1986-12-31',
      confidence: 'possible',
    });
    // H: produced in RU, but its site has no recovery date.
    await claim({ item_id: ids.h, event_type: 'produced', actor_id: ids.factoryRu, confidence: 'confirmed' });
    // A weaker claim does not outweigh a surer one.
    await claim({ item_id: ids.a, event_type: 'produced', actor_id: ids.factoryCn, confidence: 'possible' });

    const request = (input: Parameters<typeof createTraceRequest>[3]) => createTraceRequest(db, owner, inv, input);
    await request({
      addressee_id: ids.stateRu,
      subject: 'TR1',
      status: 'sent',
      sent_on: '2017-02-01',
      due_on: '2017-04-01',
    });
    await request({ addressee_id: ids.stateRu, subject: 'TR2 draft' });
    await request({ addressee_id: ids.factoryCn, subject: 'TR3', status: 'acknowledged', sent_on: '2016-05-01' });
    await request({ addressee_id: ids.factoryCn, subject: 'TR4', status: 'answered', sent_on: '2016-01-01' });
    await request({ addressee_id: ids.stateRu, subject: 'TR5', status: 'closed', sent_on: '2016-01-01' });
  });
  after(async () => {
    await world.close();
  });

  const get = async (name: string, query = ''): Promise<Record<string, unknown>> => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/analysis/${name}${query}`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  it('counts items by country of production, direct or inherited by lot, with shares', async () => {
    const result = await get('production-countries');
    assert.equal(result.total_items, 8);
    assert.equal(result.total_quantity, 231);
    assert.deepEqual(
      (result.rows as Record<string, unknown>[]).map((row) => [
        row.key,
        row.items,
        row.quantity,
        row.share_items,
        row.share_quantity,
        row.confirmed,
        row.probable,
        row.possible,
      ]),
      [
        ['CN', 2, 30, 0.25, 0.1299, 0, 2, 0],
        ['RU', 2, 150, 0.25, 0.6494, 2, 0, 0],
        ['contested', 1, 3, 0.125, 0.013, 0, 0, 0],
        ['unknown', 3, 48, 0.375, 0.2078, 0, 0, 0],
      ],
    );
  });

  it('counts items by category, split by production type', async () => {
    const result = await get('categories');
    assert.deepEqual(
      (result.rows as Record<string, unknown>[]).map((row) => [
        row.category,
        row.items,
        row.quantity,
        row.craft_items,
        row.factory_items,
        row.unknown_production_items,
      ]),
      [
        ['cartridges', 2, 150, 0, 1, 1],
        ['mortar_bomb', 2, 30, 0, 2, 0],
        ['rocket', 2, 47, 2, 0, 0],
        ['artillery_projectile', 1, 3, 0, 1, 0],
        ['launcher', 1, 1, 1, 0, 0],
      ],
    );
  });

  it('measures years from export (or production) to recovery, by category and producer', async () => {
    const result = await get('export-to-recovery');
    // A: 2010-12-31 → 2017-03-10 = 2261 days; B: 1990-12-31 → 2017-03-10 = 9566;
    // C: 1990-12-31 → 2017-01-18 = 9515; G: 1986-12-31 → 2017-03-10 = 11027.
    const points = new Map(
      (result.points as { item_id: string; years: number; basis: string }[]).map((point) => [
        point.item_id,
        [point.years, point.basis],
      ]),
    );
    assert.deepEqual(Object.fromEntries(points), {
      [ids.a!]: [6.19, 'exported'],
      [ids.b!]: [26.19, 'produced'],
      [ids.c!]: [26.05, 'produced'],
      [ids.g!]: [30.19, 'produced'],
    });
    assert.deepEqual(result.excluded, { no_recovery_date: 1, no_dated_claim: 3, recovered_before_start: 0 });
    assert.deepEqual(result.overall, {
      n: 4,
      min_years: 6.19,
      median_years: 26.12,
      max_years: 30.19,
      counts: [0, 0, 0, 1, 0, 2, 1],
    });
    assert.deepEqual(
      (result.by_category as Record<string, unknown>[]).map((row) => [row.category, row.n, row.median_years]),
      [
        ['mortar_bomb', 2, 26.12],
        ['artillery_projectile', 1, 30.19],
        ['cartridges', 1, 6.19],
      ],
    );
    assert.deepEqual(
      (result.by_producer as Record<string, unknown>[]).map((row) => [row.producer_name, row.country_code, row.n]),
      [
        ['Factory CN', 'CN', 2],
        ['Factory RU', 'RU', 1],
        [null, null, 1],
      ],
    );
  });

  it('ranks sites and zones by craft-produced items, with coordinates', async () => {
    const result = await get('craft-clusters');
    assert.equal(result.total_craft_items, 3);
    assert.equal(result.total_craft_quantity, 48);
    assert.deepEqual(
      (result.sites as Record<string, unknown>[]).map((site) => [
        site.name,
        site.craft_items,
        site.craft_quantity,
        site.share_items,
        site.latitude,
        site.longitude,
        site.categories,
      ]),
      [
        ['Workshop 1', 2, 43, 0.6667, 36.1, 43.1, { rocket: 1, launcher: 1 }],
        ['Workshop 2', 1, 5, 0.3333, null, null, { rocket: 1 }],
      ],
    );
    assert.deepEqual(
      (result.zones as Record<string, unknown>[]).map((zone) => [zone.zone_id, zone.site_name, zone.craft_items]),
      [[ids.rocketArea, 'Workshop 1', 2]],
    );
  });

  it('shows production sites over time, months without one included', async () => {
    const monthly = await get('production-sites-over-time');
    assert.deepEqual(
      (monthly.periods as Record<string, unknown>[]).map((row) => [
        row.period,
        row.new_sites,
        row.cumulative_sites,
        row.craft_items,
      ]),
      [
        ['2017-01', 1, 1, 2],
        ['2017-02', 0, 1, 0],
        ['2017-03', 1, 2, 1],
      ],
    );
    assert.equal(monthly.undated_sites, 1);
    const yearly = await get('production-sites-over-time', '?granularity=year');
    assert.deepEqual(yearly.periods, [{ period: '2017', new_sites: 2, cumulative_sites: 2, craft_items: 3 }]);
  });

  it('groups open trace requests by addressee and age', async () => {
    const result = await get('open-trace-requests', '?as_of=2017-06-01');
    assert.equal(result.total_open, 3);
    assert.deepEqual(result.age_buckets, ['0–30', '31–90', '91–180', '181–365', '>365']);
    assert.deepEqual(
      (result.by_addressee as Record<string, unknown>[]).map((row) => [
        row.name,
        row.open,
        row.drafts,
        row.awaiting_answer,
        row.overdue,
        row.oldest_days,
        row.median_days,
        row.buckets,
      ]),
      [
        ['State RU', 2, 1, 1, 1, 120, 60, [1, 0, 1, 0, 0]],
        ['Factory CN', 1, 0, 1, 0, 396, 396, [0, 0, 0, 0, 1]],
      ],
    );
  });

  it('keeps the figures to members of the investigation', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/analysis/categories`,
      headers: { cookie: await world.cookieFor('outsider') },
    });
    assert.equal(response.statusCode, 404);
    const bad = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/analysis/open-trace-requests?as_of=June`,
      headers: { cookie },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'querystring.as_of');
  });
});
