import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { loadExampleInvestigation } from '../demo/service.js';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';
import { sql } from 'kysely';
import { xmlEscape } from './geo.js';
import { csvField } from './tabular.js';
import { exportPageSize } from './tabular-repository.js';

/** GDAL's ogr2ogr, as QGIS reads these formats; the test fails (never skips) when it is missing. */
function ogr2ogrGeoJson(input: string): { features: { properties: Record<string, unknown> }[] } {
  const output = `${input}.ogr.json`;
  try {
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', output, input], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') {
      assert.fail('ogr2ogr is not installed: install gdal-bin (scripts/test-all.sh does on CI)');
    }
    throw error;
  }
  return JSON.parse(fs.readFileSync(output, 'utf8')) as { features: { properties: Record<string, unknown> }[] };
}

/** Splits RFC 4180 text into records of fields (quotes, doubled quotes and line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      record.push(field);
      field = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += character;
  }
  assert.equal(field, '', 'the last record ends with CRLF');
  return records;
}

describe('tabular and map exports', () => {
  let world: TestWorld;
  let investigationId: string;
  let folder: string;
  const formula = '=HYPERLINK("http://example.invalid","open")';

  before(async () => {
    world = await createTestWorld();
    investigationId = (await loadExampleInvestigation(world.db, world.admin)).id;
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-exports-'));
    // A site known only by name: listed in tables, left out of maps. A hazardous item stands there.
    const unplaced = await createSite(world.db, world.admin, investigationId, {
      site_type: 'cache',
      name: 'Cache reported by a resident, not yet located',
    });
    await createItem(world.db, world.admin, investigationId, {
      site_id: unplaced.id,
      category: 'mortar_bomb',
      model: formula,
      external_ref: 'UNPLACED-1',
      markings: [{ text: '+45 LOT', kind: 'lot' }],
    });
  });
  after(async () => {
    await world.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  async function download(file: string, lang = 'en', username = 'admin') {
    return world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${investigationId}/exports/${file}?lang=${lang}`,
      headers: { cookie: await world.cookieFor(username) },
    });
  }

  function save(name: string, body: Buffer | string): string {
    const target = path.join(folder, name);
    fs.writeFileSync(target, body);
    return target;
  }

  it('writes sites as GeoJSON that ogr2ogr reads, lon/lat in WGS 84, precision as a property', async () => {
    const response = await download('sites.geojson');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/geo+json');
    assert.match(String(response.headers['content-disposition']), /attachment; filename="sites-.+-en\.geojson"/);
    assert.equal(response.headers['armtrace-left-out'], '1');
    const collection = response.json<{
      type: string;
      features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[];
    }>();
    assert.equal(collection.type, 'FeatureCollection');
    assert.equal(collection.features.length, 4);
    const workshop = collection.features.find((feature) => feature.properties.external_ref === 'MSL-W1')!;
    assert.deepEqual(workshop.geometry.coordinates, [43.1629, 36.3468]);
    assert.equal(workshop.properties.precision_m, 50);
    assert.equal(workshop.properties.site_type, 'production_workshop');
    assert.equal(workshop.properties.site_type_label, 'Production workshop');
    const read = ogr2ogrGeoJson(save('sites.geojson', response.rawPayload));
    assert.equal(read.features.length, 4);
  });

  it('writes sites as KML 2.2 that ogr2ogr reads, names and ExtendedData as fields, in Arabic', async () => {
    const response = await download('sites.kml', 'ar');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/vnd.google-earth.kml+xml');
    assert.equal(response.headers['armtrace-left-out'], '1');
    assert.match(response.body, /<kml xmlns="http:\/\/www\.opengis\.net\/kml\/2\.2">/);
    const read = ogr2ogrGeoJson(save('sites.kml', response.rawPayload));
    assert.equal(read.features.length, 4);
    const names = read.features.map((feature) => feature.properties.Name ?? feature.properties.name);
    assert.ok(names.includes('Workshop, eastern industrial district'), JSON.stringify(names));
    const workshop = read.features.find((feature) => feature.properties.external_ref === 'MSL-W1');
    assert.ok(workshop !== undefined, 'ExtendedData is read as fields');
    assert.equal(workshop.properties.site_type_label, 'ورشة إنتاج');
  });

  it('writes the hazard list as CSV (BOM, CRLF, Arabic labels, code columns) and as GeoJSON', async () => {
    const csv = await download('hazards.csv', 'ar');
    assert.equal(csv.statusCode, 200, csv.body);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    assert.deepEqual([...csv.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const records = parseCsv(csv.rawPayload.subarray(3).toString('utf8'));
    const header = records[0]!;
    for (const column of ['site_name', 'latitude', 'longitude', 'precision_m', 'category', 'category_label']) {
      assert.ok(header.includes(column), column);
    }
    for (const column of ['quantity', 'fuze_fitted_label', 'safety_device_fitted', 'disposal_status_since']) {
      assert.ok(header.includes(column), column);
    }
    const rows = records.slice(1).map((record) => Object.fromEntries(header.map((name, i) => [name, record[i]])));
    assert.deepEqual(rows.map((row) => row.external_ref).sort(), ['MSL-C1-001', 'MSL-C2-001', 'UNPLACED-1']);
    assert.equal(rows[0]!.fuze_fitted, 'yes', 'known-fuzed first, as on screen');
    const unplaced = rows.find((row) => row.external_ref === 'UNPLACED-1')!;
    assert.equal(unplaced.category, 'mortar_bomb');
    assert.equal(unplaced.category_label, 'قذيفة هاون');
    assert.equal(unplaced.latitude, '');
    assert.equal(unplaced.model, `'${formula}`, 'a formula is written with a leading apostrophe');
    assert.match(unplaced.disposal_status_since!, /^\d{4}-\d\d-\d\dT/);

    const geo = await download('hazards.geojson', 'fr');
    assert.equal(geo.statusCode, 200, geo.body);
    assert.equal(geo.headers['armtrace-left-out'], '1');
    assert.equal(geo.json<{ features: unknown[] }>().features.length, 2);
    const read = ogr2ogrGeoJson(save('hazards.geojson', geo.rawPayload));
    assert.equal(read.features.length, 2);
    assert.ok(read.features.every((feature) => typeof feature.properties.precision_m === 'number'));
  });

  it('writes items, markings and sites as one XLSX that exceljs reads back, header frozen, formulas as text', async () => {
    const response = await download('items.xlsx', 'ar');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['items', 'markings', 'sites'],
    );
    const items = workbook.getWorksheet('items')!;
    assert.equal(items.rowCount, 1 + 11, 'header and the ten example items plus one');
    assert.equal(items.views[0]?.state, 'frozen');
    assert.equal((items.views[0] as { ySplit?: number }).ySplit, 1);
    const header = (items.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    let found = false;
    items.eachRow((row, number) => {
      if (number === 1 || row.getCell(column('external_ref')).value !== 'UNPLACED-1') return;
      found = true;
      assert.equal(row.getCell(column('model')).value, formula, 'stored text exactly, as a text cell');
      assert.equal(row.getCell(column('model')).type, ExcelJS.ValueType.String);
      assert.equal(row.getCell(column('category_label')).value, 'قذيفة هاون');
      assert.equal(row.getCell(column('markings')).value, '+45 LOT');
    });
    assert.ok(found);
    assert.equal(workbook.getWorksheet('sites')!.rowCount, 1 + 5, 'the site without a point is listed');
    assert.ok(workbook.getWorksheet('markings')!.rowCount > 1);
  });

  it('writes items and markings as CSV, each item with its markings', async () => {
    const items = await download('items.csv');
    assert.equal(items.statusCode, 200, items.body);
    const records = parseCsv(items.rawPayload.subarray(3).toString('utf8'));
    assert.equal(records.length, 1 + 11);
    const markings = await download('markings.csv', 'fr');
    const markingRecords = parseCsv(markings.rawPayload.subarray(3).toString('utf8'));
    const header = markingRecords[0]!;
    const lot = markingRecords.find((record) => record[header.indexOf('item_external_ref')] === 'UNPLACED-1')!;
    assert.equal(lot[header.indexOf('text')], "'+45 LOT");
    assert.equal(lot[header.indexOf('kind_label')], 'Lot');
    const sites = await download('sites.csv');
    assert.equal(parseCsv(sites.rawPayload.subarray(3).toString('utf8')).length, 1 + 5);
  });

  it('refuses a non-member as the JSON export does, and an unknown file', async () => {
    for (const file of ['items.csv', 'sites.kml', 'items.xlsx']) {
      const response = await download(file, 'en', 'outsider');
      const json = await world.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${investigationId}/export.json`,
        headers: { cookie: await world.cookieFor('outsider') },
      });
      assert.equal(response.statusCode, json.statusCode);
      assert.equal(response.statusCode, 404);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    const anonymous = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${investigationId}/exports/items.csv`,
    });
    assert.equal(anonymous.statusCode, 401);
    assert.equal((await download('items.pdf')).statusCode, 400);
  });

  it('streams more rows than one page, each once, and escapes XML in KML', async () => {
    const count = exportPageSize * 2 + 203;
    await sql`INSERT INTO sites (id, investigation_id, site_type, name, latitude, longitude, precision_m, created_by,
        created_at, updated_at)
      SELECT gen_random_uuid(), ${world.otherInvestigationId}, 'cache', 'Site ' || n || ' <A&B> "q"',
        CASE WHEN n % 3 = 0 THEN NULL ELSE 36 + n / 10000.0 END, CASE WHEN n % 3 = 0 THEN NULL ELSE 43.1 END, 25,
        ${world.outsider.userId}, now(), now()
      FROM generate_series(1, ${count}) AS n`.execute(world.db);
    const fetch = async (file: string) =>
      world.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${world.otherInvestigationId}/exports/${file}`,
        headers: { cookie: await world.cookieFor('outsider') },
      });
    const csv = await fetch('sites.csv');
    assert.equal(csv.statusCode, 200, csv.body);
    const records = parseCsv(csv.rawPayload.subarray(3).toString('utf8')).slice(1);
    assert.equal(records.length, count);
    assert.equal(new Set(records.map((record) => record[0])).size, count, 'no row twice across pages');
    const kml = await fetch('sites.kml');
    assert.equal(kml.statusCode, 200, kml.body);
    const withoutPoint = Math.floor(count / 3);
    assert.equal(kml.headers['armtrace-left-out'], String(withoutPoint));
    assert.match(kml.body, /<name>Site 1 &lt;A&amp;B&gt; &quot;q&quot;<\/name>/);
    const read = ogr2ogrGeoJson(save('many.kml', kml.rawPayload));
    assert.equal(read.features.length, count - withoutPoint);
    assert.ok(read.features.some((feature) => feature.properties.site_name === 'Site 1 <A&B> "q"'));
    assert.throws(() => xmlEscape('bell\u0007'), /control character/);
  });

  it('neutralises formula cells in CSV and quotes per RFC 4180', () => {
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('-2+3'), "'-2+3");
    assert.equal(csvField(-2.5), '-2.5', 'numbers stay numbers');
    assert.equal(csvField('a "b", c'), '"a ""b"", c"');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
  });
});
