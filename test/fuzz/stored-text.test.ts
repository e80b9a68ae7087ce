// Findings of the fuzz test (test/fuzz/api.fuzz.test.ts), kept as plain
// regression tests: text was silently trimmed before it was stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../src/errors.js';
import { importItemsCsv } from '../../src/features/imports/service.js';
import { createTestWorld, type TestWorld } from '../../src/testing/test-database.js';

describe('text is stored exactly as sent, surrounding white space included', () => {
  let world: TestWorld;
  let cookie: string;
  let folder: string;

  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-stored-text-'));
  });

  after(async () => {
    await world.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function post(url: string, payload: object) {
    return world.app.inject({ method: 'POST', url, headers: { cookie }, payload });
  }

  async function get(url: string) {
    const response = await world.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<Record<string, unknown>>();
  }

  it('API: a site name, a zone name, an incident place keep their spaces, a trailing BOM stays (they were trimmed)', async () => {
    const site = await post(`/api/v1/investigations/${world.investigationId}/sites`, {
      site_type: 'cache',
      name: ' Склад 4 ',
      recovered_by: 'Team B\ufeff',
    });
    assert.equal(site.statusCode, 201, site.body);
    const siteId = site.json<{ id: string }>().id;
    const storedSite = await get(`/api/v1/sites/${siteId}`);
    assert.equal(storedSite.name, ' Склад 4 ');
    assert.equal(storedSite.recovered_by, 'Team B\ufeff');

    const zone = await post(`/api/v1/sites/${siteId}/zones`, { name: ' w% ' });
    assert.equal(zone.statusCode, 201, zone.body);
    assert.equal(zone.json<{ name: string }>().name, ' w% ');

    const incident = await post(`/api/v1/investigations/${world.investigationId}/incidents`, {
      incident_type: 'other',
      title: 'Incident',
      place: ' مصنع ١٢',
    });
    assert.equal(incident.statusCode, 201, incident.body);
    const storedIncident = await get(`/api/v1/incidents/${incident.json<{ id: string }>().id}`);
    assert.equal(storedIncident.place, ' مصنع ١٢');
  });

  it('API: text of white space only is still refused, naming the field', async () => {
    const response = await post(`/api/v1/investigations/${world.investigationId}/sites`, {
      site_type: 'cache',
      name: '   ',
    });
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json<{ fields?: { field: string }[] }>();
    assert.ok(
      problem.fields?.some((field) => field.field === 'name'),
      response.body,
    );
  });

  it('API: a token name and a display name keep their spaces (they were trimmed)', async () => {
    const token = await post('/api/v1/auth/tokens', { name: ' laptop ' });
    assert.equal(token.statusCode, 201, token.body);
    assert.equal(token.json<{ name: string }>().name, ' laptop ');
    const user = await world.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: await world.cookieFor('admin') },
      payload: { username: 'spaced', display_name: ' Rania ', password: 'a long and unusual passphrase' },
    });
    assert.equal(user.statusCode, 201, user.body);
    assert.equal(user.json<{ display_name: string }>().display_name, ' Rania ');
  });

  it('API: a text that begins with a byte order mark is refused, naming the field (PGlite dropped it on reading)', async () => {
    const response = await post(`/api/v1/investigations/${world.investigationId}/sites`, {
      site_type: 'cache',
      name: '\ufeffSite',
    });
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json<{ fields?: { field: string; code?: string }[] }>();
    assert.ok(
      problem.fields?.some((field) => field.field === 'name' && field.code === 'text_not_storable'),
      response.body,
    );
    const inside = await post(`/api/v1/investigations/${world.investigationId}/sites`, {
      site_type: 'cache',
      name: 'Site\ufeff 2',
    });
    assert.equal(inside.statusCode, 201, inside.body);
    assert.equal((await get(`/api/v1/sites/${inside.json<{ id: string }>().id}`)).name, 'Site\ufeff 2');
  });

  it('CSV import: text cells keep their surrounding spaces (they were trimmed); parsed cells may be padded', async () => {
    const file = path.join(folder, 'padded.csv');
    fs.writeFileSync(
      file,
      'site_ref,site_name,site_type,item_ref,category,model,marking_kind,marking_text,marking_position\n' +
        'S-pad,Site\ufeff , cache ,I-pad, small_arm ,  AK ,serial, 12 34 , left side \n',
    );
    await importItemsCsv(world.db, world.owner, world.investigationId, file);
    const item = await world.db
      .selectFrom('items')
      .select(['id', 'site_id'])
      .where('external_ref', '=', 'I-pad')
      .executeTakeFirstOrThrow();
    const storedItem = await get(`/api/v1/items/${item.id}`);
    assert.equal(storedItem.model, '  AK ');
    assert.equal(storedItem.category, 'small_arm');
    const storedSite = await get(`/api/v1/sites/${item.site_id}`);
    assert.equal(storedSite.name, 'Site\ufeff ');
    assert.equal(storedSite.site_type, 'cache');
    const markings = await get(`/api/v1/items/${item.id}/markings`);
    const [marking] = markings.items as { text: string; position: string }[];
    assert.equal(marking?.text, ' 12 34 ');
    assert.equal(marking.position, ' left side ');
  });

  it('CSV import: a day that does not exist is refused with its line, not an internal error (2023-02-29 was)', async () => {
    for (const day of ['2023-02-29', '0000-01-01', '2024-04-31']) {
      const file = path.join(folder, `day-${day}.csv`);
      fs.writeFileSync(
        file,
        `site_ref,site_name,site_type,recovered_on,item_ref,category\nS-${day},Site,cache,${day},I-${day},other\n`,
      );
      await assert.rejects(importItemsCsv(world.db, world.owner, world.investigationId, file), (error: unknown) => {
        assert.ok(error instanceof DomainError, String(error));
        assert.match(JSON.stringify(error.fields), /line 2 \(recovered_on\)/);
        return true;
      });
    }
    const leap = path.join(folder, 'leap.csv');
    fs.writeFileSync(
      leap,
      'site_ref,site_name,site_type,recovered_on,item_ref,category\nS-leap,Site,cache,2024-02-29,I-leap,other\n',
    );
    await importItemsCsv(world.db, world.owner, world.investigationId, leap);
  });
});
