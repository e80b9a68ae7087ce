import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { DomainError } from '../../errors.js';
import { verifyAudit } from '../audit/service.js';
import { createMediaTestApp, makePhoto, multipartBody, type MediaTestApp } from '../../testing/media.js';
import { createSite } from '../sites/service.js';
import { formIdFor, type FormsImportResult } from './schema.js';
import { importFormExport, writeXlsForm, type FormsImportContext } from './service.js';
import { readOdkCentralCsv } from './exports.js';
import { csvOf, odkCentralMainCsv, zipOf } from '../../testing/forms-fixtures.js';
import { odataExportJson, odataSubmission } from '../../testing/odk.js';
import { choiceLists, formLanguages } from './xlsform.js';
import { makeDerivativesHere } from '../media/derivative-jobs.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MAX_UPLOAD = 1_500_000;

describe('field forms (ODK / KoboToolbox)', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let context: FormsImportContext;
  let workDir: string;
  let siteId: string;
  let photoA: Buffer;
  let photoB: Buffer;

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world, { ARMTRACE_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) });
    context = {
      store: media.store,
      media: media.config.media,
      derivatives: makeDerivativesHere(world.db, media.store, media.config.media),
    };
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-forms-'));
    const site = await createSite(world.db, world.owner, world.investigationId, {
      site_type: 'cache',
      name: 'Farmhouse cellar',
      names: { ar: 'قبو المزرعة', fr: 'Cave de la ferme' },
      latitude: 36.34,
      longitude: 43.13,
    });
    siteId = site.id;
    photoA = await makePhoto(1, { width: 320, height: 240 });
    photoB = await makePhoto(2, { width: 320, height: 240 });
  });

  after(async () => {
    await media.close();
    await world.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  function write(name: string, bytes: Buffer | string): string {
    const file = path.join(workDir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  async function count(table: 'items' | 'markings' | 'media' | 'sites' | 'zones' | 'form_submissions') {
    const row = await world.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('investigation_id', '=', world.investigationId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function counts() {
    return {
      items: await count('items'),
      markings: await count('markings'),
      media: await count('media'),
      sites: await count('sites'),
      zones: await count('zones'),
      submissions: await count('form_submissions'),
    };
  }

  async function refused(file: string): Promise<DomainError> {
    const before = await counts();
    const error = await importFormExport(world.db, context, world.owner, world.investigationId, file).then(
      () => assert.fail('the import should have been refused'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DomainError, String(error));
    assert.deepEqual(await counts(), before, 'a refused import writes nothing');
    return error;
  }

  it('writes an XLSForm that opens with exceljs, with every choice list in English, French and Arabic', async () => {
    const form = await writeXlsForm(world.db, world.owner, world.investigationId, { version: '202612051800' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(form.bytes as unknown as ArrayBuffer);
    const rowsOf = (name: string) => {
      const sheet = workbook.getWorksheet(name);
      assert.ok(sheet, `sheet ${name}`);
      const rows: Record<string, string>[] = [];
      const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      sheet.eachRow((row, number) => {
        if (number === 1) return;
        const values = (row.values as (string | number | null | undefined)[]).slice(1);
        rows.push(Object.fromEntries(header.map((column, index) => [column, String(values[index] ?? '')])));
      });
      return { header, rows };
    };
    const survey = rowsOf('survey');
    const choices = rowsOf('choices');
    const settings = rowsOf('settings');
    for (const language of ['English (en)', 'Français (fr)', 'العربية (ar)']) {
      assert.ok(survey.header.includes(`label::${language}`), language);
      assert.ok(survey.header.includes(`hint::${language}`), language);
      assert.ok(choices.header.includes(`label::${language}`), language);
    }
    assert.equal(settings.rows[0]!.form_id, formIdFor(world.investigationId));
    assert.equal(settings.rows[0]!.version, '202612051800');

    const types = survey.rows.map((row) => `${row.type} ${row.name}`.trim());
    for (const expected of [
      'select_one site site',
      'geopoint location',
      'text zone',
      'select_one category category',
      'integer quantity',
      'select_one hazard_state fuze_fitted',
      'begin_repeat markings',
      'select_one marking_kind marking_kind',
      'image photo',
      'text observations',
    ]) {
      assert.ok(types.includes(expected), expected);
    }
    for (const { list, codes } of choiceLists) {
      const rows = choices.rows.filter((row) => row.list_name === list);
      assert.deepEqual(
        rows.map((row) => row.name),
        [...codes],
        `${list}: armtrace's codes as choice names`,
      );
      for (const row of rows) {
        for (const { column } of formLanguages) assert.notEqual(row[`label::${column}`], '', `${list}.${row.name}`);
        assert.match(row['label::العربية (ar)']!, /[\u0600-\u06ff]/, `${list}.${row.name} in Arabic`);
        assert.notEqual(row['label::Français (fr)'], undefined);
      }
    }
    const siteChoices = choices.rows.filter((row) => row.list_name === 'site');
    assert.deepEqual(
      siteChoices.map((row) => [row.name, row['label::العربية (ar)']]),
      [
        [siteId, 'قبو المزرعة'],
        ['new_site', 'موقع جديد (غير موجود في هذه القائمة)'],
      ],
    );

    const cookie = await world.cookieFor('owner');
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/forms/xlsform?version=7`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /spreadsheetml/);
    const downloaded = new ExcelJS.Workbook();
    await downloaded.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    assert.equal(downloaded.getWorksheet('settings')!.getRow(2).getCell(3).value, '7');
  });

  it('imports an ODK Central CSV zip with its photos once, however often it is given', async () => {
    const formId = formIdFor(world.investigationId);
    const first = 'uuid:5b0e2bd4-0f57-4c07-9a0e-2f3b8a1c0001';
    const second = 'uuid:5b0e2bd4-0f57-4c07-9a0e-2f3b8a1c0002';
    const main = odkCentralMainCsv([
      {
        instanceId: first,
        submitter: 'team-north',
        version: '202611200900',
        answers: {
          start: '2026-11-20T10:12:21.147+03:00',
          end: '2026-11-20T10:40:46.155+03:00',
          site: siteId,
          zone: 'rocket area',
          category: 'mortar_bomb',
          model: '82 mm',
          quantity: '3',
          condition: 'corroded',
          assembly_state: 'complete',
          production_type: 'factory',
          safety_device_fitted: 'unknown',
          disposal_status: 'in_place',
          observations: 'Stacked by the wall, "as found".',
        },
      },
      {
        instanceId: second,
        submitter: 'team-north',
        version: '202611200900',
        answers: {
          start: '2026-11-20T11:02:00.000+03:00',
          end: '2026-11-20T11:09:30.000+03:00',
          site: 'new_site',
          new_site_name: 'Checkpoint 4',
          new_site_type: 'checkpoint',
          'location-Latitude': '36.3412345',
          'location-Longitude': '43.1789012',
          'location-Altitude': '251.5',
          'location-Accuracy': '4.288',
          category: 'small_arm',
          quantity: '1',
          production_type: 'unknown',
          disposal_status: 'moved_to_storage',
        },
      },
    ]);
    const markings = csvOf([
      ['marking_text', 'marking_kind', 'marking_position', 'PARENT_KEY', 'KEY'],
      ['82-OF-843', 'model', 'body', first, `${first}/markings[1]`],
      ['٣٤٥?٧', 'lot', '', first, `${first}/markings[2]`],
      ['KL 0471', 'serial', 'receiver, left side', second, `${second}/markings[1]`],
    ]);
    const photos = csvOf([
      ['photo', 'PARENT_KEY', 'KEY'],
      ['1763625141000.jpg', first, `${first}/photos[1]`],
      ['1763625199000.jpg', second, `${second}/photos[1]`],
    ]);
    const file = write(
      'odk.zip',
      zipOf([
        { name: `${formId}.csv`, bytes: Buffer.from(main) },
        { name: `${formId}-markings.csv`, bytes: Buffer.from(markings) },
        { name: `${formId}-photos.csv`, bytes: Buffer.from(photos) },
        { name: 'media/1763625141000.jpg', bytes: photoA },
        { name: 'media/1763625199000.jpg', bytes: photoB },
      ]),
    );
    const dry = await importFormExport(world.db, context, world.owner, world.investigationId, file, { dryRun: true });
    assert.equal(dry.items_created, 2);
    assert.equal(dry.import_id, null);
    assert.equal((await counts()).submissions, 0, 'a dry run writes nothing');

    const before = await counts();
    const result = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(result.export_format, 'odk_central_csv');
    assert.equal(result.form_id, formId);
    assert.deepEqual(result.form_versions, ['202611200900']);
    assert.deepEqual(
      [result.items_created, result.markings_created, result.media_created, result.sites_created, result.zones_created],
      [2, 3, 2, 1, 1],
    );
    const after1 = await counts();
    assert.deepEqual(after1, {
      items: before.items + 2,
      markings: before.markings + 3,
      media: before.media + 2,
      sites: before.sites + 1,
      zones: before.zones + 1,
      submissions: before.submissions + 2,
    });

    const created = result.created.find((entry) => entry.instance_id === first)!;
    const item = await world.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', created.item_id)
      .executeTakeFirstOrThrow();
    assert.equal(item.category, 'mortar_bomb');
    assert.equal(item.quantity, 3);
    assert.equal(item.fuze_fitted, 'unknown', 'a mortar bomb with no fuze state recorded stays on the hazard list');
    assert.equal(item.observations, 'Stacked by the wall, "as found".');
    const itemMarkings = await world.db
      .selectFrom('markings')
      .select(['text', 'kind', 'position'])
      .where('item_id', '=', item.id)
      .orderBy('text')
      .execute();
    assert.deepEqual(itemMarkings, [
      { text: '82-OF-843', kind: 'model', position: 'body' },
      { text: '٣٤٥?٧', kind: 'lot', position: null },
    ]);
    // The photo is evidence: its hash is the hash of the bytes in the export, and the store holds those bytes.
    const [photo] = created.media;
    assert.equal(photo!.sha256, sha256(photoA));
    const mediaRow = await world.db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', photo!.id)
      .executeTakeFirstOrThrow();
    assert.equal(mediaRow.sha256, sha256(photoA));
    assert.equal(mediaRow.media_type, 'image/jpeg');
    assert.equal(mediaRow.captured_by, 'team-north');
    assert.equal(mediaRow.captured_at?.toISOString(), '2026-11-20T07:40:46.155Z');
    assert.equal((await media.store.rehash(sha256(photoA)))?.sha256, sha256(photoA));

    const newSite = result.created.find((entry) => entry.instance_id === second)!;
    const site = await world.db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', newSite.site_id!)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [site.name, site.site_type, site.latitude, site.longitude, site.precision_m],
      ['Checkpoint 4', 'checkpoint', 36.3412345, 43.1789012, 4.288],
    );
    const submission = await world.db
      .selectFrom('form_submissions')
      .selectAll()
      .where('instance_id', '=', first)
      .executeTakeFirstOrThrow();
    assert.equal(submission.submitter, 'team-north');
    assert.equal(submission.device_started_as_sent, '2026-11-20T10:12:21.147+03:00');
    assert.equal(submission.device_ended_at?.toISOString(), '2026-11-20T07:40:46.155Z');
    assert.equal(submission.form_version, '202611200900');

    const audit = await world.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'forms.import')
      .where('entity_id', '=', result.import_id!)
      .executeTakeFirstOrThrow();
    const entry = (typeof audit.after === 'string' ? JSON.parse(audit.after) : audit.after) as {
      form_versions: string[];
      created: { submitter: string; device_start: string }[];
    };
    assert.deepEqual(entry.form_versions, ['202611200900']);
    assert.equal(entry.created[0]!.submitter, 'team-north');

    const again = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.deepEqual([again.already_imported, again.items_created, again.import_id], [2, 0, null]);
    assert.deepEqual(await counts(), after1, 'the second import creates nothing');
  });

  it('imports ODK Central OData JSON (repeats expanded) once', async () => {
    const instance = 'uuid:9d0c3f5e-1b2a-4c3d-8e4f-5a6b7c8d0003';
    const odata = odataExportJson([odataSubmission({ siteId, instance, category: 'fuze', zone: 'rocket area' })]);
    const file = write('odata.json', odata);
    const before = await counts();
    const result = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(result.export_format, 'odk_central_odata');
    assert.deepEqual([result.items_created, result.markings_created, result.zones_created], [1, 1, 0]);
    const item = await world.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', result.created[0]!.item_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([item.quantity, item.category, item.site_id], [12, 'fuze', siteId]);
    const submission = await world.db
      .selectFrom('form_submissions')
      .selectAll()
      .where('instance_id', '=', instance)
      .executeTakeFirstOrThrow();
    assert.equal(submission.submitter, 'team-south');
    assert.equal(submission.submitted_at?.toISOString(), '2026-11-21T08:00:01.000Z');
    const again = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(again.items_created, 0);
    assert.equal(again.already_imported, 1);
    assert.deepEqual(await counts(), {
      ...before,
      items: before.items + 1,
      markings: before.markings + 1,
      submissions: before.submissions + 1,
    });
  });

  it('imports a KoboToolbox CSV zip (semicolons, flattened repeats, media under the instance folder) once', async () => {
    const uuid = '4f3e2d1c-0b9a-4876-8543-21fedcba0004';
    const header = [
      'start',
      'end',
      'site',
      'new_site_name',
      'new_site_type',
      'location',
      '_location_latitude',
      '_location_longitude',
      '_location_altitude',
      '_location_precision',
      'zone',
      'category',
      'model',
      'quantity',
      'condition',
      'assembly_state',
      'production_type',
      'fuze_fitted',
      'safety_device_fitted',
      'disposal_status',
      'markings[1]/marking_text',
      'markings[1]/marking_kind',
      'markings[1]/marking_position',
      'photos[1]/photo',
      'photos[1]/photo_URL',
      'observations',
      'meta/instanceID',
      '_id',
      '_uuid',
      '_submission_time',
      '_validation_status',
      '_submitted_by',
      '__version__',
      '_tags',
      '_index',
    ];
    const row = [
      '2026-11-22T09:00:00.000+03:00',
      '2026-11-22T09:20:00.000+03:00',
      siteId,
      '',
      '',
      '36.3403 43.1302 249.0 5.0',
      '36.3403',
      '43.1302',
      '249.0',
      '5.0',
      'depot; north',
      'cartridges',
      '7.62x39',
      '240',
      'worn',
      '',
      'factory',
      '',
      '',
      'moved_to_storage',
      '71 / 84',
      'headstamp',
      'case head',
      'IMG 0412.jpg',
      'https://kc.kobotoolbox.org/media/original?media_file=fieldteam%2Fattachments%2Fx%2Fy%2FIMG_0412.jpg',
      '',
      `uuid:${uuid}`,
      '4501',
      uuid,
      '2026-11-22T06:21:13',
      '',
      'fieldteam',
      'vXk3pQ9bT2nR7s',
      '',
      '1',
    ];
    const file = write(
      'kobo.zip',
      zipOf([
        { name: 'armtrace_items_2026-11-22.csv', bytes: Buffer.from(csvOf([header, row], ';')) },
        { name: `fieldteam/attachments/aB3dE5fG7hJ9kL/${uuid}/IMG_0412.jpg`, bytes: photoB },
      ]),
    );
    const before = await counts();
    const result = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(result.export_format, 'kobo_csv');
    assert.deepEqual(result.form_versions, ['vXk3pQ9bT2nR7s']);
    assert.deepEqual(
      [result.items_created, result.markings_created, result.media_created, result.zones_created],
      [1, 1, 1, 1],
    );
    assert.equal(result.created[0]!.media[0]!.sha256, sha256(photoB));
    const marking = await world.db
      .selectFrom('markings')
      .select(['text', 'kind'])
      .where('item_id', '=', result.created[0]!.item_id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(marking, { text: '71 / 84', kind: 'headstamp' });
    const submission = await world.db
      .selectFrom('form_submissions')
      .selectAll()
      .where('instance_id', '=', `uuid:${uuid}`)
      .executeTakeFirstOrThrow();
    assert.equal(submission.submitter, 'fieldteam');
    assert.equal(submission.submitted_at?.toISOString(), '2026-11-22T06:21:13.000Z');
    const again = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(again.items_created, 0);
    const expected = { ...before, items: before.items + 1, markings: before.markings + 1, media: before.media + 1 };
    assert.deepEqual(await counts(), { ...expected, zones: before.zones + 1, submissions: before.submissions + 1 });
  });

  it('imports KoboToolbox API v2 JSON through the API once', async () => {
    const uuid = '0e1d2c3b-4a59-4687-9a0b-1c2d3e4f0005';
    const data = {
      count: 1,
      next: null,
      previous: null,
      results: [
        {
          _id: 4502,
          'formhub/uuid': '3c9e0f1a2b4d4e6f8a0b1c2d3e4f5a6b',
          start: '2026-11-23T08:00:00.000+03:00',
          end: '2026-11-23T08:12:00.000+03:00',
          site: 'new_site',
          new_site_name: 'Orchard',
          new_site_type: 'incident_scene',
          location: '36.35 43.14 0 0',
          category: 'rocket',
          quantity: '2',
          production_type: 'craft',
          fuze_fitted: 'yes',
          disposal_status: 'in_place',
          markings_count: '1',
          markings: [{ 'markings/marking_text': 'خ-١٢', 'markings/marking_kind': 'other' }],
          __version__: 'vXk3pQ9bT2nR7s',
          'meta/instanceID': `uuid:${uuid}`,
          _xform_id_string: 'aB3dE5fG7hJ9kL',
          _uuid: uuid,
          _attachments: [],
          _status: 'submitted_via_web',
          _geolocation: [36.35, 43.14],
          _submission_time: '2026-11-23T05:13:00',
          _tags: [],
          _notes: [],
          _validation_status: {},
          _submitted_by: 'fieldteam',
        },
      ],
    };
    const cookie = await world.cookieFor('owner');
    const upload = () => {
      const body = multipartBody(
        {},
        { filename: 'data.json', contentType: 'application/json', bytes: Buffer.from(JSON.stringify(data)) },
      );
      return media.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/forms/import`,
        headers: { cookie, ...body.headers },
        payload: body.payload,
      });
    };
    const before = await counts();
    const response = await upload();
    assert.equal(response.statusCode, 201, response.body);
    const result = response.json<FormsImportResult>();
    assert.equal(result.export_format, 'kobo_json');
    assert.equal(result.sites_created, 1);
    const site = await world.db
      .selectFrom('sites')
      .selectAll()
      .where('id', '=', result.created[0]!.site_id!)
      .executeTakeFirstOrThrow();
    // An accuracy of 0 is no precision: the site has none, the submission keeps the geopoint as sent.
    assert.deepEqual([site.name, site.latitude, site.longitude, site.precision_m], ['Orchard', 36.35, 43.14, null]);
    const second = await upload();
    assert.equal(second.statusCode, 200, second.body);
    assert.equal(second.json<FormsImportResult>().already_imported, 1);
    assert.deepEqual(await counts(), {
      ...before,
      items: before.items + 1,
      markings: before.markings + 1,
      sites: before.sites + 1,
      submissions: before.submissions + 1,
    });
    const viewerless = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/forms/import`,
      headers: { cookie: await world.cookieFor('outsider'), 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(viewerless.statusCode, 404);
  });

  it('imports KoboToolbox API v2 JSON zipped with its attachments, the photo hash matching the file', async () => {
    const uuid = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b0008';
    const data = {
      count: 1,
      next: null,
      previous: null,
      results: [
        {
          site: siteId,
          category: 'document',
          quantity: '1',
          photos_count: '1',
          photos: [{ 'photos/photo': 'ledger page.jpg' }],
          'meta/instanceID': `uuid:${uuid}`,
          _uuid: uuid,
          _submitted_by: 'fieldteam',
          _submission_time: '2026-11-24T07:00:00',
          __version__: 'vXk3pQ9bT2nR7s',
          _attachments: [
            {
              download_url: `https://kf.example.org/media/original?media_file=fieldteam%2Fattachments%2Fab%2F${uuid}%2Fledger_page.jpg`,
              filename: `fieldteam/attachments/ab/${uuid}/ledger_page.jpg`,
              mimetype: 'image/jpeg',
            },
          ],
        },
      ],
    };
    const file = write(
      'kobo-json.zip',
      zipOf([
        { name: 'data.json', bytes: Buffer.from(JSON.stringify(data)) },
        { name: `fieldteam/attachments/ab/${uuid}/ledger_page.jpg`, bytes: photoA },
      ]),
    );
    const result = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(result.export_format, 'kobo_json');
    assert.deepEqual(
      result.created[0]!.media.map((photo) => [photo.sha256, photo.original_filename]),
      [[sha256(photoA), 'ledger page.jpg']],
    );
    const again = await importFormExport(world.db, context, world.owner, world.investigationId, file);
    assert.equal(again.media_created, 0);
  });

  it('refuses OData JSON whose repeats are links instead of data (not saved with $expand=*)', async () => {
    const instance = 'uuid:1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f0009';
    const file = write(
      'odata-links.json',
      JSON.stringify({
        value: [
          {
            __id: instance,
            __system: { submitterName: 'x', formVersion: '1' },
            meta: { instanceID: instance },
            site: siteId,
            category: 'other',
            'markings@odata.navigationLink': `Submissions('${instance}')/markings`,
          },
        ],
      }),
    );
    const error = await refused(file);
    assert.equal(error.fields[0]?.code, 'export_format_unknown');
    assert.match(error.message, /\$expand=\*/);
  });

  it('refuses an archive whose member climbs out of it, and one with an oversized member', async () => {
    const formId = formIdFor(world.investigationId);
    const main = Buffer.from(
      odkCentralMainCsv([
        { instanceId: 'uuid:escape', submitter: 'x', version: '1', answers: { site: siteId, category: 'other' } },
      ]),
    );
    const escaping = await refused(
      write(
        'escape.zip',
        zipOf([
          { name: `${formId}.csv`, bytes: main },
          { name: 'media/../../evil.jpg', bytes: photoA },
        ]),
      ),
    );
    assert.equal(escaping.fields[0]?.code, 'archive_entry_unsafe', JSON.stringify(escaping.fields));
    assert.match(String(escaping.fields.at(0)?.field), /evil\.jpg/);

    const oversized = await refused(
      write(
        'big.zip',
        zipOf([
          { name: `${formId}.csv`, bytes: main },
          { name: 'media/huge.jpg', bytes: Buffer.alloc(MAX_UPLOAD + 1, 0xff) },
        ]),
      ),
    );
    assert.equal(oversized.fields[0]?.code, 'archive_entry_too_large', JSON.stringify(oversized.fields));
  });

  it('refuses a photo that is not an image and a value that is not a code, naming the submission and the field', async () => {
    const formId = formIdFor(world.investigationId);
    const instance = 'uuid:0a1b2c3d-0000-4000-8000-000000000006';
    const photoInstance = 'uuid:0a1b2c3d-0000-4000-8000-000000000007';
    const file = write(
      'bad.zip',
      zipOf([
        {
          name: `${formId}.csv`,
          bytes: Buffer.from(
            odkCentralMainCsv([
              {
                instanceId: instance,
                submitter: 'x',
                version: '1',
                answers: { site: siteId, category: 'Mortar bomb', quantity: '2.5', condition: 'good' },
              },
              {
                instanceId: photoInstance,
                submitter: 'x',
                version: '1',
                answers: { site: siteId, category: 'document' },
              },
            ]),
          ),
        },
        {
          name: `${formId}-photos.csv`,
          bytes: Buffer.from(
            csvOf([
              ['photo', 'PARENT_KEY', 'KEY'],
              ['fake.jpg', photoInstance, `${photoInstance}/photos[1]`],
            ]),
          ),
        },
        { name: 'media/fake.jpg', bytes: Buffer.from('%PDF-1.4 not a photo at all\n') },
      ]),
    );
    const error = await refused(file);
    const byField = new Map(error.fields.map((field) => [field.field, field.code]));
    assert.equal(byField.get(`${instance}/category`), 'invalid_option');
    assert.equal(byField.get(`${instance}/quantity`), 'not_whole');
    assert.equal(byField.get(`${photoInstance}/photos[1]/photo`), 'attachment_not_image');
  });

  it('reads an ODK Central row that leaves out its trailing empty values, and refuses one with too many', () => {
    const header = 'SubmissionDate,site,category,meta-instanceID,KEY,SubmitterName,Status,Edits\r\n';
    const short = readOdkCentralCsv(
      new Map([['f.csv', `${header}2026-11-20T09:41:07.481Z,${siteId},fuze,uuid:a,uuid:a,team,\r\n`]]),
    );
    assert.deepEqual(
      [
        short.submissions[0]!.instanceId,
        short.submissions[0]!.answers.get('category'),
        short.submissions[0]!.submitter,
      ],
      ['uuid:a', 'fuze', 'team'],
    );
    assert.throws(
      () => readOdkCentralCsv(new Map([['f.csv', `${header}a,b,c,d,e,f,g,h,i\r\n`]])),
      (error: unknown) => error instanceof DomainError && error.fields[0]?.code === 'csv_syntax',
    );
  });

  it('keeps the audit chain whole', async () => {
    const result = await verifyAudit(world.db);
    assert.equal(result.ok, true, JSON.stringify(result.problems.slice(0, 3)));
  });
});
