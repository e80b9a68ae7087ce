/**
 * The findings of issue 15, one test (or more) per finding, named after it. Each failed on the code before its
 * fix; all run on PGlite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../errors.js';
import { importItemsCsv } from '../features/imports/service.js';
import { createMediaTestApp, multipartBody, type MediaTestApp } from '../features/media/test-helpers.js';
import { createTestWorld, type TestWorld } from '../testing/test-database.js';

describe('issue 15: security and integrity findings', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let directory: string;
  let cookie: string;

  async function countRows(table: 'sites' | 'items' | 'markings' | 'media' | 'audit_log'): Promise<number> {
    const row = await world.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  /** A JSON request whose body is sent as written, so that escapes like `\ud800` reach the server's parser. */
  function rawJson(method: 'POST' | 'PATCH', url: string, body: string) {
    return world.app.inject({ method, url, headers: { cookie, 'content-type': 'application/json' }, payload: body });
  }

  interface ProblemJson {
    status: number;
    code: string;
    fields?: { field: string; message: string; code?: string; params?: Record<string, string | number> }[];
  }

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-security-'));
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await media.close();
    await world.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('M1: a lone UTF-16 surrogate in a JSON body is refused with 400 naming the field, never stored as U+FFFD', async () => {
    const sitesBefore = await countRows('sites');
    const response = await rawJson(
      'POST',
      `/api/v1/investigations/${world.investigationId}/sites`,
      '{"site_type":"cache","name":"Cellar \\ud800 north","names":{"ar":"\\udfff"}}',
    );
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json<ProblemJson>();
    assert.equal(problem.code, 'validation_failed');
    assert.deepEqual(
      problem.fields!.map((field) => [field.field, field.code, field.params]),
      [
        ['name', 'text_not_storable', { character: 'U+D800', position: 8 }],
        ['names.ar', 'text_not_storable', { character: 'U+DFFF', position: 1 }],
      ],
    );
    assert.equal(await countRows('sites'), sitesBefore);

    // A surrogate pair (an emoji, a rare CJK character) is text like any other, stored as sent.
    const pair = await rawJson(
      'POST',
      `/api/v1/investigations/${world.investigationId}/sites`,
      '{"site_type":"cache","name":"Cellar \\ud83d\\udca3 𠀀"}',
    );
    assert.equal(pair.statusCode, 201, pair.body);
    assert.equal(pair.json<{ name: string }>().name, 'Cellar \u{1f4a3} \u{20000}');
  });

  it('M3: a NUL character in a body, a query string or a path is a 400 naming the field, never a 500', async () => {
    const body = await rawJson(
      'POST',
      `/api/v1/investigations/${world.investigationId}/sites`,
      '{"site_type":"cache","name":"Cellar\\u0000","context":"ok"}',
    );
    assert.equal(body.statusCode, 400, body.body);
    assert.deepEqual(
      body.json<ProblemJson>().fields!.map((field) => [field.field, field.code]),
      [['name', 'text_not_storable']],
    );
    const key = await rawJson(
      'POST',
      `/api/v1/investigations/${world.investigationId}/sites`,
      '{"site_type":"cache","name":"Cellar","names":{"a\\u0000":"x"}}',
    );
    assert.equal(key.statusCode, 400, key.body);

    const query = await world.app.inject({
      method: 'GET',
      url: '/api/v1/markings/search?q=AK%00',
      headers: { cookie },
    });
    assert.equal(query.statusCode, 400, query.body);
    assert.deepEqual(
      query.json<ProblemJson>().fields!.map((field) => [field.field, field.code]),
      [['querystring.q', 'text_not_storable']],
    );
    const investigations = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/items?q=%00`,
      headers: { cookie },
    });
    assert.equal(investigations.statusCode, 400, investigations.body);

    const param = await world.app.inject({ method: 'GET', url: '/api/v1/sites/%00', headers: { cookie } });
    assert.equal(param.statusCode, 400, param.body);
    assert.equal(param.json<ProblemJson>().fields![0]!.field, 'params.id');
  });

  it('M3: a NUL in a multipart text field or the file name of an upload is a 400 naming the field', async () => {
    const before = await countRows('media');
    const upload = (fields: Record<string, string>, filename: string) => {
      const body = multipartBody(fields, {
        filename,
        contentType: 'application/pdf',
        bytes: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
      return media.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/media`,
        headers: { ...body.headers, cookie },
        payload: body.payload,
      });
    };
    const field = await upload({ credit: 'Field team\u0000' }, 'scan.pdf');
    assert.equal(field.statusCode, 400, field.body);
    assert.deepEqual(
      field.json<ProblemJson>().fields!.map((entry) => [entry.field, entry.code]),
      [['credit', 'text_not_storable']],
    );
    const name = await upload({}, 'scan\u0000.pdf');
    assert.equal(name.statusCode, 400, name.body);
    assert.deepEqual(
      name.json<ProblemJson>().fields!.map((entry) => [entry.field, entry.code]),
      [['file', 'text_not_storable']],
    );
    assert.equal(await countRows('media'), before);
  });

  it('M3: a NUL in a CSV cell is refused with its line and column, not an internal error', async () => {
    const file = path.join(directory, 'nul.csv');
    fs.writeFileSync(
      file,
      'site_ref,site_name,site_type,item_ref,category,marking_kind,marking_text\n' +
        'S-N,Shed,cache,I-N1,small_arm,serial,AK\u0000 1\n',
    );
    const before = await countRows('markings');
    const error = await importItemsCsv(world.db, world.owner, world.investigationId, file).then(
      () => assert.fail('the import was accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DomainError, String(error));
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(
      error.fields.map((entry) => [entry.field, entry.code, entry.params]),
      [['line 2 (marking_text)', 'text_not_storable', { character: 'U+0000', position: 3 }]],
    );
    assert.equal(await countRows('markings'), before);
  });
});
