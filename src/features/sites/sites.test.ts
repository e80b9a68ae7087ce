import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { toProblem, type Problem } from '../../errors.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import type { Site, Zone } from './schema.js';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [43.1, 36.3],
      [43.2, 36.3],
      [43.2, 36.4],
      [43.1, 36.3],
    ],
  ],
};

describe('sites API', () => {
  let world: TestWorld;
  let ownerCookie: string;
  let viewerCookie: string;
  let outsiderCookie: string;

  async function addSite(payload: Record<string, unknown>, investigationId = world.investigationId): Promise<Site> {
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${investigationId}/sites`,
      headers: { cookie: ownerCookie },
      payload,
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<Site>();
  }

  before(async () => {
    world = await createTestWorld();
    ownerCookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    await createTestUser(world.db, 'site-viewer');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'site-viewer', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    viewerCookie = await world.cookieFor('site-viewer');
  });
  after(async () => {
    await world.close();
  });

  it('creates, gets, updates with a version check and archives a site', async () => {
    const site = await addSite({
      site_type: 'cache',
      name: 'Farmhouse cellar',
      names: { ar: 'قبو المزرعة', en: 'Farmhouse cellar' },
      latitude: 36.34,
      longitude: 43.13,
      precision_m: 25,
      area: square,
      external_ref: 'S-001',
      recovered_by: 'Field team 2',
      recovered_on: '2017-03-02',
      context: 'Found under a false floor.',
    });
    assert.equal(site.version, 1);
    assert.equal(site.investigation_id, world.investigationId);
    assert.deepEqual(site.names, { ar: 'قبو المزرعة', en: 'Farmhouse cellar' });
    assert.deepEqual(site.area, square);
    assert.equal(site.recovered_on, '2017-03-02');

    const fetched = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(fetched.statusCode, 200, fetched.body);
    assert.equal(fetched.json().name, 'Farmhouse cellar');

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, name: 'Farmhouse cellar (north)', area: null, precision_m: 10 },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().area, null);
    assert.equal(updated.json().precision_m, 10);
    assert.equal(updated.json().external_ref, 'S-001', 'fields left out stay as they are');

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, name: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'recorded twice' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    assert.equal(archived.json().archive_reason, 'recorded twice');

    const staleArchive = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'recorded twice' },
    });
    assert.equal(staleArchive.statusCode, 409);
  });

  it('names the field of bad input', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ site_type: 'cache', name: '' }, 'name'],
      [{ site_type: 'bunker', name: 'Somewhere' }, 'site_type'],
      [{ site_type: 'cache', name: 'North', latitude: 36.3 }, 'longitude'],
      [{ site_type: 'cache', name: 'North', latitude: 91, longitude: 43 }, 'latitude'],
      [{ site_type: 'cache', name: 'North', recovered_on: '02/03/2017' }, 'recovered_on'],
      [{ site_type: 'cache', name: 'North', names: { English: 'North' } }, 'names.English'],
      [
        {
          site_type: 'cache',
          name: 'Open ring',
          area: {
            type: 'Polygon',
            coordinates: [
              [
                [43.1, 36.3],
                [43.2, 36.3],
                [43.2, 36.4],
                [43.1, 36.4],
              ],
            ],
          },
        },
        'area.coordinates.0',
      ],
      [{ site_type: 'cache', name: 'Point area', area: { type: 'Point', coordinates: [43.1, 36.3] } }, 'area.type'],
    ];
    for (const [payload, field] of cases) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/sites`,
        headers: { cookie: ownerCookie },
        payload,
      });
      assert.equal(response.statusCode, 400, `${JSON.stringify(payload)}: ${response.body}`);
      assert.equal(response.json().code, 'validation_failed');
      assert.equal(response.json().fields[0].field, field, response.body);
    }

    const site = await addSite({ site_type: 'checkpoint', name: 'Checkpoint 4', latitude: 36.1, longitude: 43.5 });
    const halfCleared = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, latitude: null },
    });
    assert.equal(halfCleared.statusCode, 400, halfCleared.body);
    assert.equal(halfCleared.json().fields[0].field, 'latitude');

    const badBbox = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/sites?bbox=1,2,3`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(badBbox.statusCode, 400, badBbox.body);
    assert.match(badBbox.json().fields[0].field, /bbox$/);
  });

  it('reads coordinates as people type them, through the one parser', async () => {
    const dmsLatitude = 36 + 21 / 60 + 4 / 3600;
    const dmsLongitude = 43 + 10 / 60 + 44 / 3600;
    const cases: [Record<string, unknown>, number, number][] = [
      [{ latitude: '36°21\'04"N', longitude: '43°10\'44"E' }, dmsLatitude, dmsLongitude],
      [{ latitude: '36,3399', longitude: '43,1789' }, 36.3399, 43.1789],
      [{ latitude: '٣٦٫٣٤١٢', longitude: '٤٣٫١٧٨٩' }, 36.3412, 43.1789],
      [{ latitude: 36.3412, longitude: '43.1789' }, 36.3412, 43.1789],
      [{ location: '36.3412, 43.1789' }, 36.3412, 43.1789],
      [{ location: 'N36 21.07 E43 10.73' }, 36 + 21.07 / 60, 43 + 10.73 / 60],
      [{ location: '36°21\'04"N 43°10\'44"E', precision_m: 8 }, dmsLatitude, dmsLongitude],
    ];
    for (const [fields, latitude, longitude] of cases) {
      const site = await addSite({ site_type: 'cache', name: `Typed ${JSON.stringify(fields)}`, ...fields });
      assert.deepEqual([site.latitude, site.longitude], [latitude, longitude], JSON.stringify(fields));
      const stored = await world.app.inject({
        method: 'GET',
        url: `/api/v1/sites/${site.id}`,
        headers: { cookie: ownerCookie },
      });
      assert.deepEqual([stored.json().latitude, stored.json().longitude], [latitude, longitude]);
    }
  });

  it('refuses a location it cannot read, naming the field and the code, and stores nothing', async () => {
    const countSites = async () =>
      (
        await world.db
          .selectFrom('sites')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await countSites();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ latitude: '43°10\'44"E', longitude: '43.1' }, 'latitude', 'coordinate_hemisphere_mismatch'],
      [{ latitude: 'north-ish', longitude: '43.1' }, 'latitude', 'coordinate_unreadable'],
      [{ latitude: '36.3', longitude: '243.1' }, 'longitude', 'coordinate_out_of_range'],
      [{ latitude: 91, longitude: 43 }, 'latitude', 'coordinate_out_of_range'],
      [{ latitude: "36°75'", longitude: '43' }, 'latitude', 'coordinate_minutes_too_large'],
      [{ latitude: '-36.5 S', longitude: '43' }, 'latitude', 'coordinate_sign_and_hemisphere'],
      [{ latitude: '', longitude: '43' }, 'latitude', 'coordinate_empty'],
      [{ latitude: '36.3' }, 'longitude', 'coordinate_pair_incomplete'],
      [{ location: '36,34,43,17' }, 'location', 'coordinate_ambiguous'],
      [{ location: '36.3412' }, 'location', 'coordinate_pair_incomplete'],
      [{ location: '36.3, 43.1', latitude: 36.3 }, 'location', 'location_and_coordinates'],
      [{ precision_m: 25 }, 'precision_m', 'precision_without_location'],
      [{ precision_m: 25, latitude: null, longitude: null }, 'precision_m', 'precision_without_location'],
    ];
    for (const [fields, field, code] of cases) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/sites`,
        headers: { cookie: ownerCookie },
        payload: { site_type: 'cache', name: 'Refused', ...fields },
      });
      assert.equal(response.statusCode, 400, `${JSON.stringify(fields)}: ${response.body}`);
      const problem = response.json<Problem>();
      assert.equal(problem.code, 'validation_failed');
      assert.deepEqual(
        problem.fields?.map((entry) => [entry.field, entry.code]),
        [[field, code]],
        `${JSON.stringify(fields)}: ${response.body}`,
      );
      assert.equal(typeof problem.fields.at(0)?.message, 'string');
    }
    assert.equal(await countSites(), before, 'nothing was stored');
  });

  it('corrects a site’s point and precision, and never keeps a precision without a point', async () => {
    const site = await addSite({ site_type: 'cache', name: 'Moved cellar', location: '36.1, 43.1', precision_m: 50 });
    const patch = (payload: Record<string, unknown>) =>
      world.app.inject({
        method: 'PATCH',
        url: `/api/v1/sites/${site.id}`,
        headers: { cookie: ownerCookie },
        payload,
      });
    const moved = await patch({ version: 1, location: 'N36 21.07 E43 10.73', precision_m: 5 });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(
      [moved.json().latitude, moved.json().longitude, moved.json().precision_m],
      [36 + 21.07 / 60, 43 + 10.73 / 60, 5],
    );
    const typed = await patch({ version: 2, latitude: '36°21\'04"N', longitude: '43°10\'44"E' });
    assert.equal(typed.statusCode, 200, typed.body);
    assert.equal(typed.json().latitude, 36 + 21 / 60 + 4 / 3600);

    const unreadable = await patch({ version: 3, longitude: '43°10\'44"N' });
    assert.equal(unreadable.statusCode, 400, unreadable.body);
    assert.deepEqual(unreadable.json().fields[0], {
      field: 'longitude',
      code: 'coordinate_hemisphere_mismatch',
      params: { axis: 'longitude', hemisphere: 'N', text: '43°10\'44"N' },
      message: unreadable.json().fields[0].message,
    });

    const precisionLeftBehind = await patch({ version: 3, location: null });
    assert.equal(precisionLeftBehind.statusCode, 400, precisionLeftBehind.body);
    assert.deepEqual(
      precisionLeftBehind.json<Problem>().fields?.map((entry) => [entry.field, entry.code]),
      [['precision_m', 'precision_without_location']],
    );
    const cleared = await patch({ version: 3, location: null, precision_m: null });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.deepEqual(
      [cleared.json().latitude, cleared.json().longitude, cleared.json().precision_m],
      [null, null, null],
    );
    const precisionAlone = await patch({ version: 4, precision_m: 10 });
    assert.equal(precisionAlone.statusCode, 400, precisionAlone.body);
    assert.equal(precisionAlone.json().fields[0].code, 'precision_without_location');

    const audit = await world.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', site.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((entry) => entry.action),
      ['site.create', 'site.update', 'site.update', 'site.update'],
    );
  });

  it('keeps external references unique per investigation', async () => {
    await addSite({ site_type: 'storage_depot', name: 'Depot A', external_ref: 'DEP-1' });
    const duplicate = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie: ownerCookie },
      payload: { site_type: 'storage_depot', name: 'Depot B', external_ref: 'DEP-1' },
    });
    assert.equal(duplicate.statusCode, 409, duplicate.body);
    assert.equal(duplicate.json().code, 'already_exists');
    assert.equal(duplicate.json().fields[0].field, 'external_ref');

    const outsiderSite = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.otherInvestigationId}/sites`,
      headers: { cookie: outsiderCookie },
      payload: { site_type: 'storage_depot', name: 'Their depot', external_ref: 'DEP-1' },
    });
    assert.equal(outsiderSite.statusCode, 201, 'the same reference may be used in another investigation');
  });

  it('filters the list by type, name and bounding box', async () => {
    const investigation = await world.app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: { cookie: ownerCookie },
      payload: { title: 'Map filters' },
    });
    const id = investigation.json().id as string;
    const workshop = await addSite(
      { site_type: 'production_workshop', name: 'Eastern Workshop', latitude: 36.35, longitude: 43.15 },
      id,
    );
    const cache = await addSite(
      { site_type: 'cache', name: 'School basement', names: { ar: 'قبو المدرسة' }, latitude: 35.0, longitude: 42.0 },
      id,
    );
    const pacific = await addSite({ site_type: 'other', name: 'Island store', latitude: -17.7, longitude: 179.5 }, id);
    const unlocated = await addSite({ site_type: 'cache', name: '100%_WORKSHOP annex' }, id);

    async function listIds(query: string): Promise<string[]> {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${id}/sites?${query}`,
        headers: { cookie: ownerCookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as { id: string }[]).map((site) => site.id);
    }

    assert.deepEqual(await listIds(''), [workshop.id, cache.id, pacific.id, unlocated.id]);
    assert.deepEqual(await listIds('site_type=cache'), [cache.id, unlocated.id]);
    assert.deepEqual(await listIds('q=workshop'), [workshop.id, unlocated.id]);
    assert.deepEqual(await listIds(`q=${encodeURIComponent('%_work')}`), [unlocated.id]);
    assert.deepEqual(await listIds(`q=${encodeURIComponent('المدرسة')}`), [cache.id]);
    assert.deepEqual(await listIds('bbox=43.0,36.2,43.3,36.5'), [workshop.id]);
    assert.deepEqual(await listIds('bbox=41,34,44,37'), [workshop.id, cache.id]);
    assert.deepEqual(await listIds('bbox=179,-18,-179,-17'), [pacific.id], 'a box across the antimeridian');
    assert.deepEqual(await listIds('bbox=41,34,44,37&site_type=cache'), [cache.id]);

    const firstPage = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${id}/sites?limit=3`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(firstPage.json().next_after, pacific.id);
    assert.deepEqual(await listIds(`after=${pacific.id}`), [unlocated.id]);
  });

  it('serves the located sites as GeoJSON for the map', async () => {
    const investigation = await world.app.inject({
      method: 'POST',
      url: '/api/v1/investigations',
      headers: { cookie: ownerCookie },
      payload: { title: 'Map' },
    });
    const id = investigation.json().id as string;
    const located = await addSite(
      { site_type: 'cache', name: 'Cellar', latitude: 36.34, longitude: 43.13, precision_m: 5, external_ref: 'M-1' },
      id,
    );
    await addSite({ site_type: 'cache', name: 'Somewhere unknown' }, id);

    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${id}/sites.geojson`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/geo\+json/);
    const collection = response.json();
    assert.equal(collection.type, 'FeatureCollection');
    assert.equal(collection.features.length, 1);
    assert.deepEqual(collection.features[0], {
      type: 'Feature',
      id: located.id,
      geometry: { type: 'Point', coordinates: [43.13, 36.34] },
      properties: {
        name: 'Cellar',
        names: {},
        site_type: 'cache',
        external_ref: 'M-1',
        precision_m: 5,
        recovered_on: null,
      },
    });

    const hidden = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${id}/sites.geojson`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(hidden.statusCode, 404);
  });

  it('hides another team’s sites and stops viewers from writing', async () => {
    const site = await addSite({ site_type: 'incident_scene', name: 'Market square' });
    for (const url of [
      `/api/v1/sites/${site.id}`,
      `/api/v1/sites/${site.id}/zones`,
      `/api/v1/investigations/${world.investigationId}/sites`,
    ]) {
      const response = await world.app.inject({ method: 'GET', url, headers: { cookie: outsiderCookie } });
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().code, 'not_found');
    }
    const outsiderPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie: outsiderCookie },
      payload: { version: 1, name: 'Taken over' },
    });
    assert.equal(outsiderPatch.statusCode, 404);

    const writes = [
      {
        method: 'POST' as const,
        url: `/api/v1/investigations/${world.investigationId}/sites`,
        payload: { site_type: 'cache', name: 'By a viewer' },
      },
      { method: 'PATCH' as const, url: `/api/v1/sites/${site.id}`, payload: { version: 1, name: 'By a viewer' } },
      { method: 'POST' as const, url: `/api/v1/sites/${site.id}/archive`, payload: { version: 1, reason: 'viewer' } },
      { method: 'POST' as const, url: `/api/v1/sites/${site.id}/zones`, payload: { name: 'By a viewer' } },
    ];
    for (const write of writes) {
      const response = await world.app.inject({ ...write, headers: { cookie: viewerCookie } });
      assert.equal(response.statusCode, 403, `${write.method} ${write.url}: ${response.body}`);
      assert.equal(response.json().code, 'forbidden');
    }
  });

  it('lets investigators change only the sites they created', async () => {
    const site = await addSite({ site_type: 'cache', name: 'Owner’s site' });
    await createTestUser(world.db, 'site-investigator');
    await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie: ownerCookie },
      payload: { username: 'site-investigator', role: 'investigator' },
    });
    const cookie = await world.cookieFor('site-investigator');
    const foreign = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${site.id}`,
      headers: { cookie },
      payload: { version: 1, name: 'Renamed' },
    });
    assert.equal(foreign.statusCode, 403);
    const own = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie },
      payload: { site_type: 'cache', name: 'Investigator’s site' },
    });
    assert.equal(own.statusCode, 201);
    const renamed = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sites/${own.json().id}`,
      headers: { cookie },
      payload: { version: 1, name: 'Investigator’s site (renamed)' },
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
  });

  it('manages the zones of a site', async () => {
    const site = await addSite({ site_type: 'storage_depot', name: 'Hangar 3' });
    const created = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/zones`,
      headers: { cookie: ownerCookie },
      payload: { name: 'Rocket area', description: 'North-east corner' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const zone = created.json();
    assert.equal(zone.site_id, site.id);
    assert.equal(zone.investigation_id, world.investigationId);

    const badZone = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/zones`,
      headers: { cookie: ownerCookie },
      payload: { name: ' ' },
    });
    assert.equal(badZone.statusCode, 400);
    assert.equal(badZone.json().fields[0].field, 'name');

    const listed = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sites/${site.id}/zones`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(
      listed.json<{ items: Zone[] }>().items.map((entry) => entry.id),
      [zone.id],
    );

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, name: 'Rocket and mortar area' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().description, 'North-east corner');

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, name: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const viewerPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: viewerCookie },
      payload: { version: 2, name: 'By a viewer' },
    });
    assert.equal(viewerPatch.statusCode, 403);

    const outsiderPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: outsiderCookie },
      payload: { version: 2, name: 'Taken over' },
    });
    assert.equal(outsiderPatch.statusCode, 404);

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/zones/${zone.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 2, reason: 'merged with the main hall' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const afterArchive = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sites/${site.id}/zones`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(afterArchive.json().items.length, 0);
    const withArchived = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sites/${site.id}/zones?include_archived=true`,
      headers: { cookie: ownerCookie },
    });
    assert.equal(withArchived.json().items.length, 1);
    // One zone, archived or not, to those who may see the site; no one else.
    const one = await world.app.inject({
      method: 'GET',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: viewerCookie },
    });
    assert.equal(one.statusCode, 200, one.body);
    assert.equal(one.json<Zone>().version, 3);
    assert.notEqual(one.json<Zone>().archived_at, null);
    const hidden = await world.app.inject({
      method: 'GET',
      url: `/api/v1/zones/${zone.id}`,
      headers: { cookie: outsiderCookie },
    });
    assert.equal(hidden.statusCode, 404);

    await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/archive`,
      headers: { cookie: ownerCookie },
      payload: { version: 1, reason: 'outside the investigation area' },
    });
    const inArchivedSite = await world.app.inject({
      method: 'POST',
      url: `/api/v1/sites/${site.id}/zones`,
      headers: { cookie: ownerCookie },
      payload: { name: 'Late zone' },
    });
    assert.equal(inArchivedSite.statusCode, 409);
    assert.equal(inArchivedSite.json().code, 'archived');
  });

  it('rejects, in the database, a zone filed under another investigation than its site', async () => {
    const site = await addSite({ site_type: 'cache', name: 'Orchard pit' });
    const now = new Date();
    const attempt = world.db
      .insertInto('zones')
      .values({
        id: uuidv7(),
        investigation_id: world.otherInvestigationId,
        site_id: site.id,
        name: 'Smuggled zone',
        created_by: world.owner.userId,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await assert.rejects(attempt, (error: unknown) => {
      const problem = toProblem(error);
      assert.equal(problem.status, 422);
      assert.equal(problem.code, 'reference_invalid');
      return true;
    });
  });

  it('audits every write so the chain verifies', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });
});
