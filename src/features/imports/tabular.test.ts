import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { DomainError } from '../../errors.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { readMappingFile } from './mapping.js';
import { findImportMapping, listImportMappings, saveImportMapping } from './mappings.js';
import { importItemsCsv, previewItemsCsv } from './service.js';

describe('tabular import: CSV with semicolons, XLSX, labels in three languages, mappings', () => {
  let world: TestWorld;
  let directory: string;

  function writeFile(name: string, content: string | Buffer): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, content);
    return file;
  }

  async function refusal(file: string, options: Parameters<typeof importItemsCsv>[4] = {}): Promise<DomainError> {
    try {
      await importItemsCsv(world.db, world.owner, world.investigationId, file, options);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    return assert.fail('the import was accepted');
  }

  async function itemsOf(siteRefPrefix: string) {
    return world.db
      .selectFrom('items')
      .innerJoin('sites', 'sites.id', 'items.site_id')
      .leftJoin('markings', 'markings.item_id', 'items.id')
      .select([
        'sites.external_ref as site_ref',
        'sites.name',
        'sites.site_type',
        'sites.latitude',
        'sites.longitude',
        'sites.recovered_on',
        'items.external_ref as item_ref',
        'items.category',
        'items.quantity',
        'markings.kind',
        'markings.text',
      ])
      .where('items.investigation_id', '=', world.investigationId)
      .where('sites.external_ref', 'like', `${siteRefPrefix}%`)
      .orderBy('items.external_ref')
      .execute();
  }

  before(async () => {
    world = await createTestWorld();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-tabular-'));
  });
  after(async () => {
    await world.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('reads a semicolon CSV in Windows-1252 with French headers, labels and decimal commas', async () => {
    const text = [
      'Réf site;Nom du site;Type de site;Latitude;Longitude;Réf objet;Catégorie;Quantité;Type de marquage;Marquage',
      'FR-1;Dépôt près de l’école;Dépôt;36,5;43,25;FR-I1;Obus de mortier;2;Numéro de série;« 82-ABC »',
      'FR-1;;;;;FR-I2;Cartouches;500;lot/batch;LOT 7',
      'FR-2;Atelier;production workshop;;;FR-I3;mortar-bomb;1;;',
    ].join('\r\n');
    // Windows-1252: é, «, » are their code points as single bytes, ’ is 0x92; none of them is UTF-8.
    const windows1252 = Buffer.from(
      Array.from(text, (character) => (character === '’' ? 0x92 : character.charCodeAt(0))),
    );
    const file = writeFile('semicolons-1252.csv', windows1252);
    const preview = await previewItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(preview.problems_total, 0, JSON.stringify(preview.problems));
    assert.equal(preview.format, 'csv');
    assert.equal(preview.encoding, 'iso-8859-1');
    assert.deepEqual(
      preview.columns.map((column) => column.field),
      [
        'site_ref',
        'site_name',
        'site_type',
        'lat',
        'lon',
        'item_ref',
        'category',
        'quantity',
        'marking_kind',
        'marking_text',
      ],
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(result.encoding, 'iso-8859-1');
    assert.equal(result.items_created, 3);
    const rows = await itemsOf('FR-');
    assert.deepEqual(
      rows.map((row) => [
        row.site_ref,
        row.name,
        row.site_type,
        row.item_ref,
        row.category,
        row.quantity,
        row.kind,
        row.text,
      ]),
      [
        ['FR-1', 'Dépôt près de l’école', 'storage_depot', 'FR-I1', 'mortar_bomb', 2, 'serial', '« 82-ABC »'],
        ['FR-1', 'Dépôt près de l’école', 'storage_depot', 'FR-I2', 'cartridges', 500, 'lot', 'LOT 7'],
        ['FR-2', 'Atelier', 'production_workshop', 'FR-I3', 'mortar_bomb', 1, null, null],
      ],
    );
    assert.equal(Number(rows[0]!.latitude), 36.5);
    assert.equal(Number(rows[0]!.longitude), 43.25);
  });

  it('reads an XLSX sheet with French headers and labels, numbers and dates as written', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Notes').addRow(['not this sheet']);
    const sheet = workbook.addWorksheet('Inventaire');
    sheet.addRow([
      'Référence du site',
      'Nom du site',
      'Nature du site',
      'Latitude',
      'Longitude',
      'Date de récupération',
    ]);
    sheet.getRow(1).getCell(7).value = 'Référence objet';
    sheet.getRow(1).getCell(8).value = 'Catégorie';
    sheet.getRow(1).getCell(9).value = 'Quantité';
    sheet.getRow(1).getCell(10).value = 'Modèle';
    sheet.addRow([]);
    sheet.addRow([
      'XL-1',
      'Cache du verger',
      'Cache',
      36.3125,
      43.1,
      new Date(Date.UTC(2024, 2, 15)),
      'XL-I1',
      'Arme légère individuelle',
      3,
      'AKM',
    ]);
    sheet.addRow(['XL-1', null, null, null, null, null, 'XL-I2', 'FUSÉE', 1, 7.62]);
    const file = path.join(directory, 'inventaire.xlsx');
    await workbook.xlsx.writeFile(file);

    const preview = await previewItemsCsv(world.db, world.owner, world.investigationId, file, { sheet: 'Inventaire' });
    assert.equal(preview.problems_total, 0, JSON.stringify(preview.problems));
    assert.equal(preview.format, 'xlsx');
    assert.equal(preview.items_created, 2);
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, { sheet: 'Inventaire' });
    assert.equal(result.items_created, 2);
    const rows = await world.db
      .selectFrom('items')
      .innerJoin('sites', 'sites.id', 'items.site_id')
      .select([
        'items.external_ref',
        'items.category',
        'items.quantity',
        'items.model',
        'sites.site_type',
        'sites.recovered_on',
        'sites.latitude',
      ])
      .where('sites.external_ref', '=', 'XL-1')
      .orderBy('items.external_ref')
      .execute();
    assert.deepEqual(
      rows.map((row) => [row.external_ref, row.category, row.quantity, row.model, row.site_type, Number(row.latitude)]),
      [
        ['XL-I1', 'small_arm', 3, 'AKM', 'cache', 36.3125],
        ['XL-I2', 'fuze', 1, '7.62', 'cache', 36.3125],
      ],
    );
    const recovered = rows[0]!.recovered_on as unknown;
    assert.equal(recovered instanceof Date ? recovered.toISOString().slice(0, 10) : String(recovered), '2024-03-15');

    // A sheet that is not there is named with those that are.
    const missing = await refusal(file, { sheet: 'Inventory' });
    assert.equal(missing.fields[0]!.code, 'sheet_not_found');
    assert.deepEqual(missing.fields[0]!.params, { sheet: 'Inventory', sheets: 'Notes, Inventaire' });
  });

  it('refuses a number cell that cannot be kept exactly, naming its cell, and never rounds it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Items');
    sheet.addRow(['site_ref', 'site_name', 'site_type', 'item_ref', 'category', 'marking_kind', 'marking_text']);
    sheet.addRow(['NX-1', 'Shed', 'cache', 'NX-I1', 'small_arm', 'serial', 0.1 + 0.2]);
    sheet.addRow(['NX-1', 'Shed', 'cache', 'NX-I2', 'small_arm', 'serial', Number('12345678901234567890')]);
    sheet.addRow(['NX-1', 'Shed', 'cache', 'NX-I3', 'small_arm', 'serial', 104512]);
    const padded = sheet.getRow(4).getCell(7);
    padded.numFmt = '00000000';
    const file = path.join(directory, 'inexact.xlsx');
    await workbook.xlsx.writeFile(file);
    const error = await refusal(file);
    assert.deepEqual(
      error.fields.map((field) => [field.field, field.code, field.params]),
      [
        ['line 2 (marking_text)', 'cell_number_inexact', { cell: 'G2' }],
        ['line 3 (marking_text)', 'cell_number_inexact', { cell: 'G3' }],
        ['line 4 (marking_text)', 'cell_number_inexact', { cell: 'G4' }],
      ],
    );
    assert.match(error.fields[0]!.message, /cell G2 holds the number 0\.30000000000000004/);
    assert.equal(
      await world.db.selectFrom('items').select('id').where('external_ref', 'like', 'NX-%').executeTakeFirst(),
      undefined,
    );
  });

  it('reads Arabic headers and labels, and the synonyms people type', async () => {
    const file = writeFile(
      'arabic.csv',
      [
        'مرجع الموقع,اسم الموقع,نوع الموقع,مرجع القطعة,الفئة,الكمية,نوع العلامة,نص العلامة',
        'AR-1,مستودع الشمال,مستودع,AR-I1,قذيفة هاون,٣,رقم تسلسلي,٨٢ م',
        'AR-1,,,AR-I2,Mortar bomb,1,دفعة,دفعة ٧',
        'AR-1,,,AR-I3,خراطيش,100,Lot / Batch,L-9',
      ].join('\n'),
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(result.items_created, 3);
    const rows = await itemsOf('AR-');
    assert.deepEqual(
      rows.map((row) => [row.item_ref, row.site_type, row.category, row.quantity, row.kind, row.text]),
      [
        ['AR-I1', 'storage_depot', 'mortar_bomb', 3, 'serial', '٨٢ م'],
        ['AR-I2', 'storage_depot', 'mortar_bomb', 1, 'lot', 'دفعة ٧'],
        ['AR-I3', 'storage_depot', 'cartridges', 100, 'lot', 'L-9'],
      ],
    );
  });

  it('lists an unknown value once, with all its lines and the closest valid values', async () => {
    const file = writeFile(
      'unknown.csv',
      [
        'site_ref,site_name,site_type,item_ref,category',
        'UN-1,Hut,cache,UN-I1,mortr bomb',
        'UN-1,Hut,cache,UN-I2,small_arm',
        'UN-1,Hut,cache,UN-I3,mortr bomb',
        'UN-1,Hut,cache,UN-I4,Mortr-Bomb',
        'UN-1,Hut,cave,UN-I5,rifle',
      ].join('\n'),
    );
    const preview = await previewItemsCsv(world.db, world.owner, world.investigationId, file);
    const unknown = preview.problems.filter((problem) => problem.code === 'value_unknown');
    assert.deepEqual(
      unknown.map((problem) => [
        problem.line,
        problem.column,
        problem.params.value,
        problem.params.lines,
        problem.params.count,
      ]),
      [
        [2, 'category', 'mortr bomb', '2, 4', 2],
        [5, 'category', 'Mortr-Bomb', '5', 1],
        [6, 'site_type', 'cave', '6', 1],
      ],
    );
    assert.equal(String(unknown[0]!.params.options).split('|')[0], 'mortar_bomb');
    assert.equal(preview.problems_total, 3, 'rifle is a synonym of small_arm; nothing else is wrong');
    const error = await refusal(file);
    assert.equal(error.fields.length, 3);
    assert.match(
      error.fields[0]!.message,
      /"mortr bomb" is not a known category \(2 lines: 2, 4\); the closest are mortar_bomb/,
    );
  });

  it('proposes a mapping, takes one given or saved under a name, and reuses it', async () => {
    const text = ['Ref,Lieu,Genre,Objet,Sorte,Remarques', 'MP-1,Grange,cache,MP-I1,fuze,to check'].join('\n');
    const file = writeFile('custom-headers.csv', text);
    const first = await previewItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.deepEqual(
      first.columns.map((column) => [column.header, column.field, column.source]),
      [
        ['Ref', null, 'none'],
        ['Lieu', 'site_name', 'recognised'],
        ['Genre', null, 'none'],
        ['Objet', 'item_ref', 'recognised'],
        ['Sorte', null, 'none'],
        ['Remarques', null, 'none'],
      ],
    );
    assert.deepEqual(
      first.problems.map((problem) => [problem.column, problem.code]),
      [
        ['Ref', 'column_unknown'],
        ['Genre', 'column_unknown'],
        ['Sorte', 'column_unknown'],
        ['Remarques', 'column_unknown'],
        ['site_ref', 'column_missing'],
        ['category', 'column_missing'],
      ],
    );

    // The mapping file the CLI reads (--map): CSV header,field; an empty field leaves the column out.
    const mapFile = writeFile('map.csv', 'header,field\nref,site_ref\nGENRE,site_type\nSorte,category\nRemarques,\n');
    const mapping = await readMappingFile(mapFile);
    assert.deepEqual({ ...mapping }, { ref: 'site_ref', GENRE: 'site_type', Sorte: 'category', Remarques: null });
    const saved = await saveImportMapping(world.db, world.owner, world.investigationId, { name: 'granges', mapping });
    assert.equal(saved.name, 'granges');
    assert.deepEqual(
      (await listImportMappings(world.db, world.owner, world.investigationId)).map((entry) => entry.name),
      ['granges'],
    );

    const reused = await findImportMapping(world.db, world.owner, world.investigationId, 'granges');
    const second = await previewItemsCsv(world.db, world.owner, world.investigationId, file, { mapping: reused });
    assert.equal(second.problems_total, 0, JSON.stringify(second.problems));
    assert.deepEqual(
      second.columns.map((column) => [column.field, column.source]),
      [
        ['site_ref', 'mapping'],
        ['site_name', 'recognised'],
        ['site_type', 'mapping'],
        ['item_ref', 'recognised'],
        ['category', 'mapping'],
        [null, 'mapping'],
      ],
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, { mapping: reused });
    assert.equal(result.items_created, 1);

    // Saving under the same name replaces it; both saves are audited, and the chain verifies.
    await saveImportMapping(world.db, world.owner, world.investigationId, {
      name: 'granges',
      mapping: { ...mapping, Remarques: 'marking_position' },
    });
    const audits = await world.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('entity_type', '=', 'import_mappings')
      .execute();
    assert.deepEqual(
      audits.map((entry) => entry.action),
      ['import_mapping.save', 'import_mapping.save'],
    );
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
    await assert.rejects(
      findImportMapping(world.db, world.owner, world.investigationId, 'nothing'),
      (error: unknown) => error instanceof DomainError && error.code === 'not_found',
    );
    await assert.rejects(
      saveImportMapping(world.db, world.outsider, world.investigationId, { name: 'x', mapping: {} }),
      (error: unknown) => error instanceof DomainError && error.code === 'not_found',
    );
  });
});
