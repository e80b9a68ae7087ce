// Links between records must not reveal a record the reader may not see (issue 13, item 2): a media file's links,
// an incident's items and sites, a trace request's items, an item's site (an internal item at a restricted site),
// and contradictions between provenance claims. read-routes.test.ts looks for restricted ids on every GET route;
// this file builds the links between visible and restricted records that it does not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { makePhoto, multipartBody } from '../../testing/media.js';

describe('sensitivity of links between records', () => {
  let world: TestWorld;
  const headers: Record<string, Record<string, string>> = {};
  const id: Record<string, string> = {};

  async function call(who: string, method: string, url: string, payload?: unknown, extra: Record<string, string> = {}) {
    return world.app.inject({
      method: method as 'GET',
      url: `/api/v1${url}`,
      headers: { ...headers[who], ...extra },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }
  async function ok<T>(who: string, method: string, url: string, payload?: unknown): Promise<T> {
    const response = await call(who, method, url, payload);
    assert.ok(response.statusCode < 300, `${method} ${url} as ${who}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  }
  const restricted = { sensitivity: 'restricted', sensitivity_reason: 'Protects a witness' };

  before(async () => {
    world = await createTestWorld();
    const inv = world.investigationId;
    headers.owner = { cookie: await world.cookieFor('owner') };
    await createTestUser(world.db, 'reader');
    await ok('owner', 'POST', `/investigations/${inv}/members`, { username: 'reader', role: 'viewer' });
    headers.reader = { cookie: await world.cookieFor('reader') };

    const site = (body: object) =>
      ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/sites`, { site_type: 'cache', ...body });
    id.site = (await site({ name: 'Open yard', sensitivity: 'internal' })).id;
    id.restrictedSite = (await site({ name: 'Hidden yard', ...restricted })).id;
    const item = (body: object) =>
      ok<{ id: string; markings: { id: string }[] }>('owner', 'POST', `/investigations/${inv}/items`, {
        category: 'small_arm',
        ...body,
      });
    const open = await item({
      site_id: id.site,
      sensitivity: 'internal',
      markings: [{ text: 'SN 1', kind: 'serial' }],
    });
    id.item = open.id;
    id.marking = open.markings[0]!.id;
    id.itemAtRestrictedSite = (await item({ site_id: id.restrictedSite, sensitivity: 'internal' })).id;
    id.restrictedItem = (await item({ site_id: id.site, ...restricted })).id;
    id.restrictedMarking = (
      await ok<{ id: string }>('owner', 'POST', `/items/${id.item}/markings`, {
        text: 'SN 2',
        kind: 'serial',
        ...restricted,
      })
    ).id;

    const body = multipartBody(
      { site_id: id.site, sensitivity: 'internal' },
      { filename: 'yard.jpg', contentType: 'image/jpeg', bytes: await makePhoto(7) },
    );
    const upload = await call('owner', 'POST', `/investigations/${inv}/media`, body.payload, body.headers);
    assert.equal(upload.statusCode, 201, upload.body);
    id.media = upload.json<{ id: string }>().id;
    for (const target of [
      { site_id: id.restrictedSite },
      { item_id: id.restrictedItem },
      { marking_id: id.restrictedMarking },
      { item_id: id.item },
    ]) {
      await ok('owner', 'POST', `/media/${id.media}/links`, target);
    }

    const incident = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/incidents`, {
      title: 'Shelling',
      incident_type: 'other',
      site_id: id.restrictedSite,
    });
    id.incident = incident.id;
    await ok('owner', 'POST', `/incidents/${id.incident}/sites`, { site_id: id.site });
    await ok('owner', 'POST', `/incidents/${id.incident}/items`, { item_id: id.restrictedItem });
    await ok('owner', 'POST', `/incidents/${id.incident}/items`, { item_id: id.item });

    const producer = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/actors`, {
      name: 'Producer',
      actor_type: 'state',
    });
    const otherProducer = await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/actors`, {
      name: 'Other producer',
      actor_type: 'state',
    });
    id.traceRequest = (
      await ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/trace-requests`, {
        addressee_id: producer.id,
        subject: 'Trace both',
        item_ids: [id.item, id.restrictedItem],
      })
    ).id;
    const claim = (actorId: string, extra: object) =>
      ok<{ id: string }>('owner', 'POST', `/investigations/${inv}/provenance-claims`, {
        item_id: id.item,
        event_type: 'produced',
        actor_id: actorId,
        confidence: 'probable',
        ...extra,
      });
    id.claim = (await claim(producer.id, { sensitivity: 'internal' })).id;
    id.restrictedClaim = (await claim(otherProducer.id, restricted)).id;
  });
  after(async () => {
    await world.close();
  });

  const hidden = () => [id.restrictedSite, id.restrictedItem, id.restrictedMarking, id.restrictedClaim];

  it("a media file's links leave out restricted targets", async () => {
    const forOwner = await ok<{ links: object[] }>('owner', 'GET', `/media/${id.media}`);
    assert.equal(forOwner.links.length, 5);
    const forReader = await call('reader', 'GET', `/media/${id.media}`);
    assert.equal(forReader.statusCode, 200);
    const links = forReader.json<{ links: { site_id: string | null; item_id: string | null }[] }>().links;
    assert.deepEqual(links.map((link) => link.site_id ?? link.item_id).sort(), [id.site, id.item].sort());
    for (const secret of hidden()) assert.ok(!forReader.body.includes(secret!), secret);
  });

  it("an incident's and a trace request's links leave out restricted items and sites, and its own site", async () => {
    const ownerIncident = await ok<{ site_id: string; site_ids: string[]; item_ids: string[] }>(
      'owner',
      'GET',
      `/incidents/${id.incident}`,
    );
    assert.equal(ownerIncident.site_id, id.restrictedSite);
    assert.equal(ownerIncident.item_ids.length, 2);
    for (const url of [`/incidents/${id.incident}`, `/investigations/${world.investigationId}/incidents`]) {
      const response = await call('reader', 'GET', url);
      assert.equal(response.statusCode, 200, response.body);
      for (const secret of hidden()) assert.ok(!response.body.includes(secret!), `${url} shows ${secret}`);
    }
    const readerIncident = await ok<{ site_id: string | null; site_ids: string[]; item_ids: string[] }>(
      'reader',
      'GET',
      `/incidents/${id.incident}`,
    );
    assert.deepEqual(
      [readerIncident.site_id, readerIncident.site_ids, readerIncident.item_ids],
      [null, [id.site], [id.item]],
    );

    const ownerRequest = await ok<{ item_ids: string[] }>('owner', 'GET', `/trace-requests/${id.traceRequest}`);
    assert.equal(ownerRequest.item_ids.length, 2);
    for (const url of [
      `/trace-requests/${id.traceRequest}`,
      `/investigations/${world.investigationId}/trace-requests`,
    ]) {
      const response = await call('reader', 'GET', url);
      assert.equal(response.statusCode, 200, response.body);
      assert.ok(!response.body.includes(id.restrictedItem!), `${url} shows the restricted item`);
    }
  });

  it('an internal item at a restricted site hides the site: site_id null, site_hidden true', async () => {
    const forOwner = await ok<{ site_id: string; site_hidden: boolean }>(
      'owner',
      'GET',
      `/items/${id.itemAtRestrictedSite}`,
    );
    assert.deepEqual([forOwner.site_id, forOwner.site_hidden], [id.restrictedSite, false]);
    const forReader = await ok<{ site_id: string | null; site_hidden: boolean }>(
      'reader',
      'GET',
      `/items/${id.itemAtRestrictedSite}`,
    );
    assert.deepEqual([forReader.site_id, forReader.site_hidden], [null, true]);
    const list = await call('reader', 'GET', `/investigations/${world.investigationId}/items?limit=100`);
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(id.itemAtRestrictedSite!), 'the item itself is listed');
    assert.ok(!list.body.includes(id.restrictedSite!), 'its site is not');
    const bySite = await ok<{ items: unknown[] }>(
      'reader',
      'GET',
      `/investigations/${world.investigationId}/items?site_id=${id.restrictedSite}`,
    );
    assert.deepEqual(bySite.items, [], 'asking for the items of a hidden site answers as for an empty site');
  });

  it('provenance contradictions are looked for only among claims the reader may see', async () => {
    type Provenance = { claims: { id: string; conflicts_with: string[] }[] };
    const forOwner = await ok<Provenance>('owner', 'GET', `/items/${id.item}/provenance`);
    const ownerClaim = forOwner.claims.find((claim) => claim.id === id.claim);
    assert.deepEqual(ownerClaim?.conflicts_with, [id.restrictedClaim], 'two producers contradict each other');
    const forReader = await call('reader', 'GET', `/items/${id.item}/provenance`);
    assert.equal(forReader.statusCode, 200);
    assert.ok(
      !forReader.body.includes(id.restrictedClaim!),
      'the restricted claim is not named, not even as a conflict',
    );
    const claims = forReader.json<Provenance>().claims;
    assert.deepEqual(
      claims.map((claim) => [claim.id, claim.conflicts_with]),
      [[id.claim, []]],
    );
  });
  it('answers a disposal and an archive of such an item without the hidden site (as its reads do)', async () => {
    await createTestUser(world.db, 'site-blind-editor');
    await ok('owner', 'POST', `/investigations/${world.investigationId}/members`, {
      username: 'site-blind-editor',
      role: 'editor',
    });
    headers['site-blind-editor'] = { cookie: await world.cookieFor('site-blind-editor') };
    const current = await ok<{ version: number }>('owner', 'GET', `/items/${id.itemAtRestrictedSite}`);
    const disposed = await ok<{ version: number; site_id: string | null; site_hidden: boolean }>(
      'site-blind-editor',
      'PATCH',
      `/items/${id.itemAtRestrictedSite}/disposal`,
      { version: current.version, disposal_status: 'in_place' },
    );
    assert.deepEqual([disposed.site_id, disposed.site_hidden], [null, true]);
    const archived = await ok<{ site_id: string | null; site_hidden: boolean }>(
      'site-blind-editor',
      'POST',
      `/items/${id.itemAtRestrictedSite}/archive`,
      { version: disposed.version, reason: 'recorded twice' },
    );
    assert.deepEqual([archived.site_id, archived.site_hidden], [null, true]);
  });
});
