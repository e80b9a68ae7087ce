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
import {
  addMember,
  archiveInvestigation,
  createInvestigation,
  listMembers,
} from '../features/investigations/service.js';
import { createSite } from '../features/sites/service.js';
import { createMediaTestApp, multipartBody, type MediaTestApp } from '../testing/media.js';
import { dummyPasswordHash, setPassword } from '../features/users/service.js';
import { createTestUser, createTestWorld, testPassword, type TestWorld } from '../testing/test-database.js';

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

    // U+FEFF at the start of a value would come back without it from the embedded database: refused as well
    // (found by the fuzz test).
    const bom = await rawJson(
      'POST',
      `/api/v1/investigations/${world.investigationId}/sites`,
      '{"site_type":"cache","name":"Cellar","context":"\\ufeffnotes"}',
    );
    assert.equal(bom.statusCode, 400, bom.body);
    assert.deepEqual(
      bom.json<ProblemJson>().fields!.map((field) => [field.field, field.code]),
      [['context', 'text_not_storable']],
    );

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

  it('M1: invalid UTF-8 in a multipart text field is refused with 400 naming the field, never stored as U+FFFD', async () => {
    const before = await countRows('media');
    let serial = 0;
    /** Raw multipart bytes: `disposition` is the file part's Content-Disposition parameters after `name="file"`. */
    const upload = (fields: [string, Buffer][], disposition: Buffer) => {
      const boundary = 'armtraceM1boundary';
      serial += 1;
      const parts: Buffer[] = [];
      for (const [name, value] of fields) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), value);
        parts.push(Buffer.from('\r\n'));
      }
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; `),
        disposition,
        Buffer.from(
          `\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n% M1 ${serial}\n%%EOF\n\r\n--${boundary}--\r\n`,
        ),
      );
      return media.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/media`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie },
        payload: Buffer.concat(parts),
      });
    };
    const plainName = Buffer.from('filename="scan.pdf"');
    const fieldCodes = (response: { body: string }) =>
      (JSON.parse(response.body) as ProblemJson).fields!.map((entry) => [
        entry.field,
        entry.code,
        entry.params?.position,
      ]);

    // "Équipe" written in latin1 (0xC9 is not valid UTF-8 here), and a lone continuation byte after valid Arabic.
    const latin1 = await upload([['credit', Buffer.from([0xc9, 0x71, 0x75, 0x69, 0x70, 0x65])]], plainName);
    assert.equal(latin1.statusCode, 400, latin1.body);
    assert.deepEqual(fieldCodes(latin1), [['credit', 'text_not_storable', 1]]);
    const broken = await upload(
      [['captured_by', Buffer.concat([Buffer.from('فريق', 'utf8'), Buffer.from([0x80])])]],
      plainName,
    );
    assert.equal(broken.statusCode, 400, broken.body);
    assert.deepEqual(fieldCodes(broken), [['captured_by', 'text_not_storable', 9]]);
    // The file name, plain and in its RFC 5987 form.
    const badName = await upload(
      [],
      Buffer.concat([Buffer.from('filename="scan'), Buffer.from([0xff]), Buffer.from('.pdf"')]),
    );
    assert.equal(badName.statusCode, 400, badName.body);
    assert.deepEqual(fieldCodes(badName), [['file', 'text_not_storable', 5]]);
    const badExtended = await upload([], Buffer.from("filename*=UTF-8''scan%FF.pdf"));
    assert.equal(badExtended.statusCode, 400, badExtended.body);
    assert.deepEqual(fieldCodes(badExtended), [['file', 'text_not_storable', 5]]);
    assert.equal(await countRows('media'), before);

    // Valid UTF-8 (Arabic, Cyrillic, emoji) is stored exactly, in fields and in file names of either form.
    const credit = 'فريق التوثيق — Группа 2 📷';
    const plain = await upload(
      [
        ['credit', Buffer.from(credit, 'utf8')],
        ['captured_by', Buffer.from('Ольга Петрова', 'utf8')],
      ],
      Buffer.from('filename="تقرير-Отчёт.pdf"', 'utf8'),
    );
    assert.equal(plain.statusCode, 201, plain.body);
    const stored = plain.json<{ credit: string; captured_by: string; original_filename: string }>();
    assert.deepEqual(
      [stored.credit, stored.captured_by, stored.original_filename],
      [credit, 'Ольга Петрова', 'تقرير-Отчёт.pdf'],
    );
    const extended = await upload([], Buffer.from(`filename*=UTF-8''${encodeURIComponent('صورة ✓ Фото.pdf')}`));
    assert.equal(extended.statusCode, 201, extended.body);
    assert.equal(extended.json<{ original_filename: string }>().original_filename, 'صورة ✓ Фото.pdf');
    assert.equal(await countRows('media'), before + 2);
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

  /** Uploads through the media app (it has a data folder for the store). */
  function upload(
    file: { filename: string; bytes: Buffer; contentType?: string },
    options: { investigationId?: string; cookie?: string; fields?: Record<string, string> } = {},
  ) {
    const body = multipartBody(options.fields ?? {}, {
      filename: file.filename,
      contentType: file.contentType ?? 'application/pdf',
      bytes: file.bytes,
    });
    return media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${options.investigationId ?? world.investigationId}/media`,
      headers: { ...body.headers, cookie: options.cookie ?? cookie },
      payload: body.payload,
    });
  }
  const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

  it('L5: a 0-byte file is refused as evidence with 400 naming the file', async () => {
    const before = await countRows('media');
    const response = await upload({ filename: 'empty.pdf', bytes: Buffer.alloc(0) });
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(
      response.json<ProblemJson>().fields!.map((field) => [field.field, field.code]),
      [['file', 'file_empty']],
    );
    assert.equal(await countRows('media'), before);
  });

  it('L1: an upload answers the same whether or not another investigation has the same bytes', async () => {
    const bytes = pdf('L1 the same bytes in two teams');
    const theirs = await upload(
      { filename: 'theirs.pdf', bytes },
      { investigationId: world.otherInvestigationId, cookie: await world.cookieFor('outsider') },
    );
    assert.equal(theirs.statusCode, 201, theirs.body);
    const ours = await upload({ filename: 'ours.pdf', bytes });
    assert.equal(ours.statusCode, 201, ours.body);
    assert.equal(ours.json<{ stored: string }>().stored, 'new');
    assert.deepEqual(ours.json<{ same_file: string[] }>().same_file, []);
    // Within one investigation, a second record of the same bytes is still told apart.
    const again = await upload({ filename: 'ours-again.pdf', bytes });
    assert.equal(again.json<{ stored: string }>().stored, 'already_stored');
  });

  it('L8: a file name with bidirectional controls is shown and served neutralised, stored as given', async () => {
    const given = 'scan\u202egnp.pdf';
    const response = await upload({ filename: given, bytes: pdf('L8') });
    assert.equal(response.statusCode, 201, response.body);
    const created = response.json<{ id: string; original_filename: string }>();
    assert.equal(created.original_filename, 'scan[U+202E]gnp.pdf');
    const shown = await media.app.inject({ method: 'GET', url: `/api/v1/media/${created.id}`, headers: { cookie } });
    assert.equal(shown.json<{ original_filename: string }>().original_filename, 'scan[U+202E]gnp.pdf');
    const served = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie },
    });
    assert.equal(served.statusCode, 200);
    const disposition = String(served.headers['content-disposition']);
    assert.ok(!disposition.includes('\u202e') && !disposition.toLowerCase().includes('%e2%80%ae'), disposition);
    assert.match(disposition, /scan%5BU%2B202E%5Dgnp\.pdf/);
    // The record and its audit entry keep the name exactly as it was given.
    const row = await world.db
      .selectFrom('media')
      .select('original_filename')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.equal(row.original_filename, given);
    const audited = await world.db
      .selectFrom('audit_log')
      .select('after')
      .where('entity_id', '=', created.id)
      .where('action', '=', 'media.create')
      .executeTakeFirstOrThrow();
    assert.equal((audited.after as { original_filename: string }).original_filename, given);
  });

  it('L6: the report of an investigation that does not exist is a 404 for everyone, administrators too', async () => {
    const missing = '01900000-0000-7000-8000-000000000000';
    for (const username of ['admin', 'owner']) {
      const response = await world.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${missing}/report.html`,
        headers: { cookie: await world.cookieFor(username) },
      });
      assert.equal(response.statusCode, 404, `${username}: ${response.body}`);
      assert.equal(response.json<ProblemJson>().code, 'not_found');
    }
  });

  it('L2: "not there" and "not yours" get the same 404; audit positions reveal nothing across investigations', async () => {
    const theirSite = await createSite(world.db, world.outsider, world.otherInvestigationId, {
      site_type: 'cache',
      name: 'Their cellar',
    });
    const get = (url: string) => world.app.inject({ method: 'GET', url, headers: { cookie } });
    const theirs = await get(`/api/v1/sites/${theirSite.id}`);
    const nowhere = await get('/api/v1/sites/01900000-0000-7000-8000-000000000001');
    assert.equal(theirs.statusCode, 404);
    assert.equal(nowhere.statusCode, 404);
    const detail = (response: typeof theirs) => response.json<{ detail: string }>().detail;
    assert.equal(detail(theirs), detail(nowhere));
    assert.ok(!theirs.body.includes(world.otherInvestigationId), theirs.body);
    const theirInvestigation = await get(`/api/v1/investigations/${world.otherInvestigationId}`);
    const noInvestigation = await get('/api/v1/investigations/01900000-0000-7000-8000-000000000002');
    assert.equal(detail(theirInvestigation), detail(noInvestigation));
    assert.equal(detail(theirInvestigation), detail(nowhere));

    // Our history numbers our entries 1, 2, 3, … whatever the other team did in between.
    const investigation = await createInvestigation(world.db, world.owner, { title: 'L2 numbering' });
    for (const name of ['First', 'Second', 'Third']) {
      await createSite(world.db, world.owner, investigation.id, { site_type: 'cache', name });
      await createSite(world.db, world.outsider, world.otherInvestigationId, { site_type: 'cache', name });
    }
    const history = await get(`/api/v1/investigations/${investigation.id}/audit`);
    assert.equal(history.statusCode, 200, history.body);
    const seqs = history.json<{ items: { seq: number }[] }>().items.map((entry) => entry.seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, index) => seqs.length - index),
    );
    const older = await get(`/api/v1/investigations/${investigation.id}/audit?before_seq=3`);
    assert.deepEqual(
      older.json<{ items: { seq: number }[] }>().items.map((entry) => entry.seq),
      [2, 1],
    );
  });

  it('L3: an archived investigation refuses new records with 409 archived', async () => {
    const investigation = await createInvestigation(world.db, world.owner, { title: 'L3 archived' });
    await archiveInvestigation(world.db, world.owner, investigation.id, { version: 1, reason: 'work finished' });
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${investigation.id}/sites`,
      headers: { cookie },
      payload: { site_type: 'cache', name: 'Late cellar' },
    });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal(response.json<ProblemJson>().code, 'archived');
    const item = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${investigation.id}/sources`,
      headers: { cookie },
      payload: { kind: 'field_documentation', title: 'Late notes' },
    });
    assert.equal(item.statusCode, 409, item.body);
    // It can still be read, and who may read it can still be decided.
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${investigation.id}/sites`,
      headers: { cookie },
    });
    assert.equal(read.statusCode, 200, read.body);
  });

  it('L3: the last owner can neither leave nor demote themselves', async () => {
    const investigation = await createInvestigation(world.db, world.owner, { title: 'L3 owners' });
    const [ownMembership] = await listMembers(world.db, world.owner, investigation.id);
    const membersUrl = `/api/v1/investigations/${investigation.id}/members/${ownMembership!.id}`;
    const demote = await world.app.inject({
      method: 'PATCH',
      url: membersUrl,
      headers: { cookie },
      payload: { version: ownMembership!.version, role: 'editor' },
    });
    assert.equal(demote.statusCode, 409, demote.body);
    assert.equal(demote.json<ProblemJson>().code, 'last_owner');
    const leave = await world.app.inject({
      method: 'POST',
      url: `${membersUrl}/archive`,
      headers: { cookie },
      payload: { version: ownMembership!.version, reason: 'leaving the team' },
    });
    assert.equal(leave.statusCode, 409, leave.body);
    assert.equal(leave.json<ProblemJson>().code, 'last_owner');

    // With a second owner, the first may step down.
    await createTestUser(world.db, 'second-owner');
    await addMember(world.db, world.owner, investigation.id, { username: 'second-owner', role: 'owner' });
    const stepDown = await world.app.inject({
      method: 'PATCH',
      url: membersUrl,
      headers: { cookie },
      payload: { version: ownMembership!.version, role: 'editor' },
    });
    assert.equal(stepDown.statusCode, 200, stepDown.body);
  });

  it('L4: invalid site polygons (bow-tie, zero area, hole outside the shell) are refused with field codes', async () => {
    const post = (area: unknown) =>
      world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/sites`,
        headers: { cookie },
        payload: { site_type: 'cache', name: 'Outlined', area },
      });
    const codes = async (area: unknown) => {
      const response = await post(area);
      assert.equal(response.statusCode, 400, response.body);
      return response.json<ProblemJson>().fields!.map((field) => [field.field, field.code]);
    };
    const square = [
      [44, 36],
      [44.01, 36],
      [44.01, 36.01],
      [44, 36.01],
      [44, 36],
    ];
    const bowTie = [
      [44, 36],
      [44.01, 36.01],
      [44.01, 36],
      [44, 36.01],
      [44, 36],
    ];
    const flat = [
      [44, 36],
      [44.01, 36],
      [44.02, 36],
      [44, 36],
    ];
    const outside = [
      [45, 37],
      [45.001, 37],
      [45.001, 37.001],
      [45, 37],
    ];
    assert.deepEqual(await codes({ type: 'Polygon', coordinates: [bowTie] }), [
      ['area.coordinates.0', 'ring_self_intersecting'],
    ]);
    assert.deepEqual(await codes({ type: 'Polygon', coordinates: [flat] }), [['area.coordinates.0', 'ring_zero_area']]);
    assert.deepEqual(await codes({ type: 'Polygon', coordinates: [square, outside] }), [
      ['area.coordinates.1', 'hole_outside_shell'],
    ]);
    assert.deepEqual(await codes({ type: 'MultiPolygon', coordinates: [[square], [bowTie]] }), [
      ['area.coordinates.1.0', 'ring_self_intersecting'],
    ]);

    // A square with a hole inside it is an outline like any other.
    const hole = [
      [44.002, 36.002],
      [44.004, 36.002],
      [44.004, 36.004],
      [44.002, 36.002],
    ];
    const valid = await post({ type: 'Polygon', coordinates: [square, hole] });
    assert.equal(valid.statusCode, 201, valid.body);
  });

  it('L7: a state-changing request with the cookie from another site is refused; token requests are exempt', async () => {
    const before = await countRows('sites');
    const crossSite = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie, origin: 'https://attacker.example', 'sec-fetch-site': 'cross-site' },
      payload: { site_type: 'cache', name: 'Planted' },
    });
    assert.equal(crossSite.statusCode, 403, crossSite.body);
    const originOnly = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-out',
      headers: { cookie, origin: 'https://attacker.example' },
    });
    assert.equal(originOnly.statusCode, 403, originOnly.body);
    const multipart = multipartBody({}, { filename: 'x.pdf', contentType: 'application/pdf', bytes: pdf('L7') });
    const upload = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...multipart.headers, cookie, 'sec-fetch-site': 'same-site' },
      payload: multipart.payload,
    });
    assert.equal(upload.statusCode, 403, upload.body);
    assert.equal(await countRows('sites'), before);

    // The app's own pages, and programs with a token, are let through.
    const ownPage = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { cookie, host: 'armtrace.local', origin: 'https://armtrace.local', 'sec-fetch-site': 'same-origin' },
      payload: { site_type: 'cache', name: 'From our page' },
    });
    assert.equal(ownPage.statusCode, 201, ownPage.body);
    const tokenResponse = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
      payload: { name: 'L7 token' },
    });
    assert.equal(tokenResponse.statusCode, 201, tokenResponse.body);
    const token = tokenResponse.json<{ token: string }>().token;
    const withToken = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/sites`,
      headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' },
      payload: { site_type: 'cache', name: 'From a script' },
    });
    assert.equal(withToken.statusCode, 201, withToken.body);
  });

  it('L7: API and report responses carry CSP, nosniff, Referrer-Policy and no-store; HSTS behind TLS', async () => {
    const api = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}`,
      headers: { cookie },
    });
    const report = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/report.html`,
      headers: { cookie },
    });
    const problem = await world.app.inject({ method: 'GET', url: '/api/v1/sites/not-an-id', headers: { cookie } });
    for (const response of [api, report, problem]) {
      assert.match(String(response.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['referrer-policy'], 'no-referrer');
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers['strict-transport-security'], undefined);
    }
    assert.equal(report.statusCode, 200, report.body);
    assert.match(String(report.headers['content-security-policy']), /style-src 'unsafe-inline'/);

    const behindTls = await createMediaTestApp(world, { ARMTRACE_SECURE_COOKIES: 'always' });
    try {
      const secure = await behindTls.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      assert.match(String(secure.headers['strict-transport-security']), /max-age=\d+/);
    } finally {
      await behindTls.close();
    }
  });

  /** A fresh session (not the world's cached one). */
  async function signIn(username: string, password = testPassword): Promise<string> {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username, password },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  }
  async function makeToken(sessionCookie: string, body: Record<string, unknown> = {}) {
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie: sessionCookie },
      payload: { name: 'H2 token', ...body },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<{ id: string; token: string; expires_at: string; scope: string }>();
  }
  const me = (headers: Record<string, string>) =>
    world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers }).then((response) => response.statusCode);

  it('H2: a password reset ends every session and revokes every token of that user', async () => {
    await createTestUser(world.db, 'h2-reset');
    const session = await signIn('h2-reset');
    const { token } = await makeToken(session);
    assert.equal(await me({ cookie: session }), 200);
    assert.equal(await me({ authorization: `Bearer ${token}` }), 200);
    await setPassword(world.db, world.admin, 'h2-reset', 'a brand new long passphrase');
    assert.equal(await me({ cookie: session }), 401);
    assert.equal(await me({ authorization: `Bearer ${token}` }), 401);
  });

  it('H2: a password change ends the other sessions and every token, and keeps the session making it', async () => {
    await createTestUser(world.db, 'h2-change');
    const here = await signIn('h2-change');
    const elsewhere = await signIn('h2-change');
    const { token } = await makeToken(here);
    const wrong = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: here },
      payload: { current_password: 'not the password', new_password: 'another long passphrase' },
    });
    assert.equal(wrong.statusCode, 401, wrong.body);
    const changed = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: here },
      payload: { current_password: testPassword, new_password: 'another long passphrase' },
    });
    assert.equal(changed.statusCode, 204, changed.body);
    assert.equal(await me({ cookie: here }), 200);
    assert.equal(await me({ cookie: elsewhere }), 401);
    assert.equal(await me({ authorization: `Bearer ${token}` }), 401);
    await signIn('h2-change', 'another long passphrase');
  });

  it('H2: a deactivated user is locked out at once, and their records keep them as author', async () => {
    const user = await createTestUser(world.db, 'h2-gone');
    await addMember(world.db, world.owner, world.investigationId, { username: 'h2-gone', role: 'investigator' });
    const session = await signIn('h2-gone');
    const { token } = await makeToken(session);
    const site = await createSite(world.db, user, world.investigationId, { site_type: 'cache', name: 'Their find' });
    const row = await world.db
      .selectFrom('users')
      .select('version')
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    const deactivated = await world.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.userId}/deactivate`,
      headers: { cookie: await world.cookieFor('admin') },
      payload: { version: row.version, reason: 'phone lost at a checkpoint' },
    });
    assert.equal(deactivated.statusCode, 200, deactivated.body);
    assert.equal(await me({ cookie: session }), 401);
    assert.equal(await me({ authorization: `Bearer ${token}` }), 401);
    const again = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username: 'h2-gone', password: testPassword },
    });
    assert.equal(again.statusCode, 401);
    const kept = await world.db
      .selectFrom('sites')
      .select('created_by')
      .where('id', '=', site.id)
      .executeTakeFirstOrThrow();
    assert.equal(kept.created_by, user.userId);
    // Only an administrator deactivates, and not themselves.
    const byOwner = await world.app.inject({
      method: 'POST',
      url: `/api/v1/users/${world.admin.userId}/deactivate`,
      headers: { cookie },
      payload: { version: 1, reason: 'trying' },
    });
    assert.equal(byOwner.statusCode, 403);
  });

  it('H2: tokens expire, have a scope, are listed and revoked by their owner; a token cannot create tokens', async () => {
    await createTestUser(world.db, 'h2-tokens');
    await addMember(world.db, world.owner, world.investigationId, { username: 'h2-tokens', role: 'editor' });
    const session = await signIn('h2-tokens');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    const plain = await makeToken(session);
    const days = (Date.parse(plain.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 89 && days <= 90, String(days));
    const tooLong = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { cookie: session },
      payload: { name: 'forever', expires_in_days: 10_000 },
    });
    assert.equal(tooLong.statusCode, 400, tooLong.body);

    const minted = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(plain.token),
      payload: { name: 'child' },
    });
    assert.equal(minted.statusCode, 403, minted.body);

    const reader = await makeToken(session, { scope: 'read' });
    const sitesUrl = `/api/v1/investigations/${world.investigationId}/sites`;
    const read = await world.app.inject({ method: 'GET', url: sitesUrl, headers: bearer(reader.token) });
    assert.equal(read.statusCode, 200, read.body);
    const write = await world.app.inject({
      method: 'POST',
      url: sitesUrl,
      headers: bearer(reader.token),
      payload: { site_type: 'cache', name: 'Not with a read token' },
    });
    assert.equal(write.statusCode, 403, write.body);

    const other = await createInvestigation(world.db, world.owner, { title: 'H2 other' });
    await addMember(world.db, world.owner, other.id, { username: 'h2-tokens', role: 'viewer' });
    const scoped = await makeToken(session, { investigation_id: world.investigationId });
    const outside = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${other.id}`,
      headers: bearer(scoped.token),
    });
    assert.equal(outside.statusCode, 404, outside.body);
    const listed = await world.app.inject({
      method: 'GET',
      url: '/api/v1/investigations',
      headers: bearer(scoped.token),
    });
    assert.deepEqual(
      listed.json<{ items: { id: string }[] }>().items.map((entry) => entry.id),
      [world.investigationId],
    );

    const list = await world.app.inject({ method: 'GET', url: '/api/v1/auth/tokens', headers: { cookie: session } });
    assert.equal(list.statusCode, 200, list.body);
    const tokens = list.json<{ items: { id: string; scope: string; last_used_at: string | null }[] }>().items;
    assert.deepEqual(tokens.map((entry) => entry.id).sort(), [plain.id, reader.id, scoped.id].sort());
    assert.notEqual(tokens.find((entry) => entry.id === reader.id)!.last_used_at, null);
    const notTheirs = await world.app.inject({
      method: 'POST',
      url: `/api/v1/auth/tokens/${plain.id}/revoke`,
      headers: { cookie },
    });
    assert.equal(notTheirs.statusCode, 404, notTheirs.body);
    const revoked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/auth/tokens/${plain.id}/revoke`,
      headers: { cookie: session },
    });
    assert.equal(revoked.statusCode, 200, revoked.body);
    assert.equal(await me(bearer(plain.token)), 401);
    const byAdmin = await world.app.inject({
      method: 'POST',
      url: `/api/v1/auth/tokens/${reader.id}/revoke`,
      headers: { cookie: await world.cookieFor('admin') },
    });
    assert.equal(byAdmin.statusCode, 200, byAdmin.body);
    assert.equal(await me(bearer(reader.token)), 401);

    // An expired token stops working.
    await world.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', scoped.id)
      .execute();
    assert.equal(await me(bearer(scoped.token)), 401);
  });

  it('M2: after 5 failed sign-ins an account gets 429 with Retry-After, even with the right password; an administrator sees and clears it', async () => {
    await createTestUser(world.db, 'm2-target');
    const attempt = (password: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '198.51.100.7',
        payload: { username: 'm2-target', password },
      });
    for (let failure = 1; failure <= 5; failure += 1) {
      assert.equal((await attempt(`wrong guess ${failure}`)).statusCode, 401);
    }
    const locked = await attempt(testPassword);
    assert.equal(locked.statusCode, 429, locked.body);
    assert.equal(locked.json<ProblemJson>().code, 'too_many_attempts');
    assert.ok(Number(locked.headers['retry-after']) >= 1, String(locked.headers['retry-after']));

    const admin = await world.cookieFor('admin');
    const lockouts = await world.app.inject({
      method: 'GET',
      url: '/api/v1/auth/lockouts',
      headers: { cookie: admin },
    });
    assert.equal(lockouts.statusCode, 200, lockouts.body);
    const entry = lockouts
      .json<{ items: { key: string; failures: number; locked_until: string | null }[] }>()
      .items.find((row) => row.key === 'account:m2-target');
    assert.ok(entry !== undefined, lockouts.body);
    assert.equal(entry.failures, 5);
    assert.notEqual(entry.locked_until, null);
    const forbidden = await world.app.inject({ method: 'GET', url: '/api/v1/auth/lockouts', headers: { cookie } });
    assert.equal(forbidden.statusCode, 403);
    const cleared = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/lockouts/clear',
      headers: { cookie: admin },
      payload: { key: 'account:m2-target' },
    });
    assert.equal(cleared.statusCode, 204, cleared.body);
    assert.equal((await attempt(testPassword)).statusCode, 200);
  });

  it('M2: guesses at many names from one address are throttled too', async () => {
    const attempt = (username: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '203.0.113.50',
        payload: { username, password: 'a wrong password' },
      });
    for (let guess = 1; guess <= 20; guess += 1) assert.equal((await attempt(`nobody-${guess}`)).statusCode, 401);
    const locked = await attempt('nobody-21');
    assert.equal(locked.statusCode, 429, locked.body);
    assert.ok(locked.headers['retry-after'] !== undefined);
  });

  it('M2: an unknown name is refused with the same work as a wrong password (one argon2id check of equal cost)', async () => {
    const known = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: '192.0.2.1',
      payload: { username: 'owner', password: 'not the password' },
    });
    const unknown = await world.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      remoteAddress: '192.0.2.1',
      payload: { username: 'no-such-user', password: 'not the password' },
    });
    assert.equal(known.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.equal(known.json<{ detail: string }>().detail, unknown.json<{ detail: string }>().detail);
    // The dummy hash is made once and has exactly the parameters of a real one, so verifying costs the same.
    const real = await world.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'owner')
      .executeTakeFirstOrThrow();
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    assert.equal(parameters(await dummyPasswordHash()), parameters(real.password_hash));
    assert.equal(dummyPasswordHash(), dummyPasswordHash());
  });

  it('M2: the password policy refuses short, one-character, white-space-only and common passwords', async () => {
    const admin = await world.cookieFor('admin');
    const create = (username: string, password: string) =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: admin },
        payload: { username, display_name: username, password },
      });
    const code = async (password: string) => {
      const response = await create('m2-policy', password);
      assert.equal(response.statusCode, 400, `${JSON.stringify(password)}: ${response.body}`);
      return response.json<ProblemJson>().fields!.map((field) => [field.field, field.code]);
    };
    assert.deepEqual(await code('short pass'), [['password', 'password_too_short']]);
    assert.deepEqual(await code('aaaaaaaaaaaa'), [['password', 'password_one_character']]);
    assert.deepEqual(await code(' '.repeat(12)), [['password', 'password_one_character']]);
    assert.deepEqual(await code('Password1234'), [['password', 'password_common']]);
    assert.deepEqual(await code('\u0000'.repeat(12)), [['password', 'text_not_storable']]);
    assert.equal((await create('m2-policy', 'blue tractor under the olive tree')).statusCode, 201);
  });
});
