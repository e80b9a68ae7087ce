// The web app's import, downloads and audit filters over HTTP: a dry run that
// writes nothing, a confirmation that imports exactly the previewed bytes, the
// bag as one tar of known length, the PDF's clear refusal without Chromium,
// and the audit history filtered by user, action and day.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { addMember } from '../investigations/service.js';
import { createMediaTestApp, multipartBody, type MediaTestApp } from '../../testing/media.js';

const header = 'site_ref,site_name,site_type,lat,lon,item_ref,category,quantity,marking_kind,marking_text\n';
const badCsv = `${header}S1,Depot,storage_depot,36.34,43.18,I1,small_arm,1,serial,AB 123\nS1,,,,,I2,no_such_category,2,,\n`;
const goodCsv = `${header}S1,Depot,storage_depot,36.34,43.18,I1,small_arm,1,serial,AB 123\nS1,,,,,I2,cartridges,2,,\n`;

let world: TestWorld;
let web: MediaTestApp;
let cookie: string;

async function preview(csv: string | Buffer, as = cookie, filename = 'items.csv') {
  const body = multipartBody(
    {},
    { filename, contentType: 'text/csv', bytes: typeof csv === 'string' ? Buffer.from(csv) : csv },
  );
  return web.app.inject({
    method: 'POST',
    url: `/api/v1/investigations/${world.investigationId}/imports/items/preview`,
    headers: { cookie: as, ...body.headers },
    payload: body.payload,
  });
}

/** Rows of the test investigation (PostgreSQL counts as text: bigint). */
const count = async (table: 'sites' | 'items' | 'markings') =>
  Number(
    (
      await world.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('investigation_id', '=', world.investigationId)
        .executeTakeFirstOrThrow()
    ).n,
  );

interface PreviewBody {
  sha256: string;
  preview: {
    problems_total: number;
    sites_created: number;
    sites_reused: number;
    items_created: number;
    markings_created: number;
    sites: unknown[];
    problems: { line: number; column: string | null; code: string }[];
  };
}
interface AuditBody {
  items: { seq: number; action: string; actor_id: string | null }[];
  next_before_seq: number | null;
}

before(async () => {
  world = await createTestWorld();
  web = await createMediaTestApp(world);
  cookie = await world.cookieFor('owner');
  await createTestUser(world.db, 'reader');
  await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
});
after(async () => {
  await web.close();
  await world.close();
});

describe('item CSV import through the web API', () => {
  it('previews a bad file with each problem by line, column and code, and writes nothing', async () => {
    const response = await preview(badCsv);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json<PreviewBody>();
    assert.equal(body.sha256, createHash('sha256').update(badCsv).digest('hex'));
    assert.equal(body.preview.problems_total, 1);
    assert.deepEqual(
      body.preview.problems.map((problem) => [problem.line, problem.column, problem.code]),
      [[3, 'category', 'value_unknown']],
    );
    assert.equal(await count('items'), 0);
    // Confirming a file with problems refuses it, listing them.
    const refused = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items`,
      headers: { cookie },
      payload: { sha256: body.sha256 },
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(await count('items'), 0);
  });

  it('previews a good file, then imports exactly it, once', async () => {
    const response = await preview(goodCsv);
    const body = response.json<PreviewBody>();
    assert.equal(body.preview.problems_total, 0);
    assert.deepEqual(
      [
        body.preview.sites_created,
        body.preview.sites_reused,
        body.preview.items_created,
        body.preview.markings_created,
      ],
      [1, 0, 2, 1],
    );
    assert.deepEqual(body.preview.sites, [
      { site_ref: 'S1', name: 'Depot', site_type: 'storage_depot', reused: false, items: 2 },
    ]);
    assert.equal(await count('sites'), 0);
    // Another user cannot confirm someone else's upload.
    const readerCookie = await world.cookieFor('reader');
    const forbidden = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items`,
      headers: { cookie: readerCookie },
      payload: { sha256: body.sha256 },
    });
    assert.equal(forbidden.statusCode, 403);
    const imported = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items`,
      headers: { cookie },
      payload: { sha256: body.sha256 },
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const result = imported.json();
    assert.deepEqual(
      [result.sites_created, result.items_created, result.markings_created],
      [await count('sites'), await count('items'), await count('markings')],
    );
    const audited = await world.db
      .selectFrom('audit_log')
      .select('action')
      .where('investigation_id', '=', world.investigationId)
      .where('action', '=', 'import.batch')
      .execute();
    assert.equal(audited.length, 1);
    const again = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items`,
      headers: { cookie },
      payload: { sha256: body.sha256 },
    });
    assert.equal(again.statusCode, 404);
    // A second preview of the same file now reuses the site and names the items that exist.
    const second = (await preview(goodCsv)).json<PreviewBody>();
    assert.equal(second.preview.sites_reused, 1);
    assert.deepEqual(
      second.preview.problems.map((problem) => problem.code),
      ['already_used', 'already_used'],
    );
  });

  it('refuses what is not text, an empty file, and viewers', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const notText = await preview(png, cookie, 'items.csv');
    assert.equal(notText.statusCode, 400);
    assert.equal(notText.json().fields[0].code, 'file_not_text');
    const empty = await preview('');
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().fields[0].code, 'file_empty');
    const viewer = await preview(goodCsv, await world.cookieFor('reader'));
    assert.equal(viewer.statusCode, 403);
  });
});

describe('downloads', () => {
  it('sends the bag as a tar of announced length whose manifest matches its files', async () => {
    const response = await web.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/bag.tar`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const tar = response.rawPayload;
    assert.equal(Number(response.headers['content-length']), tar.length);
    const files = new Map<string, Buffer>();
    for (let offset = 0; offset + 512 <= tar.length;) {
      const block = tar.subarray(offset, offset + 512);
      if (block.every((byte) => byte === 0)) break;
      const text = (start: number, length: number) =>
        block
          .subarray(start, start + length)
          .toString('utf8')
          .replace(/\0.*$/s, '');
      const name = [text(345, 155), text(0, 100)].filter((part) => part !== '').join('/');
      const size = Number.parseInt(text(124, 12), 8);
      files.set(name.slice(name.indexOf('/') + 1), tar.subarray(offset + 512, offset + 512 + size));
      offset += 512 + Math.ceil(size / 512) * 512;
    }
    const manifest = files.get('manifest-sha256.txt')!.toString('utf8').trim().split('\n');
    assert.ok(manifest.length >= 2);
    for (const line of manifest) {
      const [hash, file] = line.split(/\s+/);
      assert.equal(createHash('sha256').update(files.get(file!)!).digest('hex'), hash, file);
    }
    const records = JSON.parse(files.get('data/records.json')!.toString('utf8'));
    assert.equal(records.records.items.length, await count('items'));
  });

  it('refuses the PDF with a clear problem when Chromium is not installed', async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = '/nonexistent/chromium';
    try {
      const response = await web.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${world.investigationId}/report.pdf?lang=en`,
        headers: { cookie },
      });
      assert.equal(response.statusCode, 503);
      assert.equal(response.json().code, 'program_missing');
      assert.match(response.json().detail, /Chromium/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});

describe('audit history filters', () => {
  it('filters by user, action and day, and pages by before_seq', async () => {
    const url = (query: string) => `/api/v1/investigations/${world.investigationId}/audit?${query}`;
    const get = async (query: string) =>
      (await web.app.inject({ method: 'GET', url: url(query), headers: { cookie } })).json<AuditBody>();
    const all = await get('limit=500');
    assert.ok(all.items.length >= 3);
    const byOwner = await get(`user_id=${world.owner.userId}&limit=500`);
    assert.ok(byOwner.items.every((entry) => entry.actor_id === world.owner.userId));
    const byOutsider = await get(`user_id=${world.outsider.userId}`);
    assert.equal(byOutsider.items.length, 0);
    const imports = await get('action=import');
    assert.deepEqual(
      imports.items.map((entry) => entry.action),
      ['import.batch'],
    );
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await get(`from=${today}&to=${today}&limit=500`)).items.length, all.items.length);
    assert.equal((await get('to=2000-01-01')).items.length, 0);
    const inverted = await web.app.inject({
      method: 'GET',
      url: url('from=2026-02-01&to=2026-01-01'),
      headers: { cookie },
    });
    assert.equal(inverted.statusCode, 400);
    const first = await get('limit=1');
    assert.equal(first.items.length, 1);
    assert.equal(first.next_before_seq, first.items[0]!.seq);
    const second = await get(`limit=1&before_seq=${first.next_before_seq}`);
    assert.equal(second.items[0]!.seq, first.items[0]!.seq - 1);
  });
});

describe('tabular import through the web API: XLSX, mapping, saved mappings', () => {
  it('previews an XLSX upload, checks it again with a changed mapping, saves the mapping and imports with it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Feuil1');
    sheet.addRow(['Code', 'Nom du site', 'Type de site', 'Objet', 'Catégorie', 'Notes']);
    sheet.addRow(['WX-1', 'Grange', 'Cache', 'WX-I1', 'Cartouches', 'seen twice']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const uploaded = await preview(bytes, cookie, 'inventaire.xlsx');
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    const first = uploaded.json<
      PreviewBody & { preview: { format: string; columns: { header: string; field: string | null }[] } }
    >();
    assert.equal(first.preview.format, 'xlsx');
    assert.deepEqual(
      first.preview.columns.map((column) => column.field),
      [null, 'site_name', 'site_type', 'item_ref', 'category', null],
    );
    assert.deepEqual(
      first.preview.problems.map((problem) => [problem.column, problem.code]),
      [
        ['Code', 'column_unknown'],
        ['Notes', 'column_unknown'],
        ['site_ref', 'column_missing'],
      ],
    );

    const mapping = { Code: 'site_ref', Notes: null };
    const checked = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/check`,
      headers: { cookie },
      payload: { sha256: first.sha256, mapping },
    });
    assert.equal(checked.statusCode, 200, checked.body);
    assert.equal(checked.json<PreviewBody>().preview.problems_total, 0);
    assert.equal(checked.json<PreviewBody>().preview.items_created, 1);

    const saved = await web.app.inject({
      method: 'PUT',
      url: `/api/v1/investigations/${world.investigationId}/import-mappings`,
      headers: { cookie },
      payload: { name: 'inventaire', mapping },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    const listed = await web.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/import-mappings`,
      headers: { cookie },
    });
    assert.deepEqual(
      listed.json<{ items: { name: string; mapping: unknown }[] }>().items.map((entry) => [entry.name, entry.mapping]),
      [['inventaire', mapping]],
    );
    const viewer = await web.app.inject({
      method: 'PUT',
      url: `/api/v1/investigations/${world.investigationId}/import-mappings`,
      headers: { cookie: await world.cookieFor('reader') },
      payload: { name: 'x', mapping: {} },
    });
    assert.equal(viewer.statusCode, 403);

    const imported = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items`,
      headers: { cookie },
      payload: { sha256: first.sha256, mapping_name: 'inventaire' },
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const item = await world.db
      .selectFrom('items')
      .select(['category'])
      .where('external_ref', '=', 'WX-I1')
      .executeTakeFirstOrThrow();
    assert.equal(item.category, 'cartridges');

    const deleted = await web.app.inject({
      method: 'DELETE',
      url: `/api/v1/investigations/${world.investigationId}/import-mappings/inventaire`,
      headers: { cookie },
    });
    assert.equal(deleted.statusCode, 204);
    const actions = await world.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'import_mappings')
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      actions.map((entry) => entry.action),
      ['import_mapping.save', 'import_mapping.delete'],
    );
  });
});
