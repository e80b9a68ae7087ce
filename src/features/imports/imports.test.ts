import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { DomainError } from '../../errors.js';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { searchAllMarkings } from '../marking-search/service.js';
import { createSite } from '../sites/service.js';
import { CsvSyntaxError, parseCsvChunks, type CsvRecord } from './csv.js';
import { importItemsCsv } from './service.js';

const HEADER = 'site_ref,site_name,site_type,lat,lon,item_ref,category,model,quantity,marking_kind,marking_text';

describe('CSV records (csv-parse)', () => {
  const parse = async (...chunks: string[]) => {
    const records: CsvRecord[] = [];
    for await (const batch of parseCsvChunks(chunks)) records.push(...batch);
    return records.map((record) => [record.line, ...record.fields]);
  };
  const syntaxErrorLine = async (text: string) => {
    try {
      await parse(text);
    } catch (error) {
      if (error instanceof CsvSyntaxError) return error.line;
      throw error;
    }
    return assert.fail('the text was read');
  };

  it('reads quoted fields, doubled quotes, CRLF and line breaks inside quotes', async () => {
    assert.deepEqual(await parse('a,"b,c","say ""hi"""\r\n1,"two\nlines",3\n'), [
      [1, 'a', 'b,c', 'say "hi"'],
      [2, '1', 'two\nlines', '3'],
    ]);
  });

  it('gives the same records whatever the chunks, and reads a last line without a line end', async () => {
    const text = 'a,b\r\nx,"y\r\nz",w\r\n,c,,\nlast,"q""",e';
    const whole = await parse(text);
    assert.deepEqual(await parse(...Array.from(text)), whole);
    assert.deepEqual(whole, [
      [1, 'a', 'b'],
      [2, 'x', 'y\r\nz', 'w'],
      [4, '', 'c', '', ''],
      [5, 'last', 'q"', 'e'],
    ]);
  });

  it('takes the delimiter from the header line, semicolon or comma', async () => {
    assert.deepEqual(await parse('\uFEFFa;b\r\n1,5;"x;\r\ny"\r\n\r\n3;4'), [
      [1, 'a', 'b'],
      [2, '1,5', 'x;\r\ny'],
      [4, ''],
      [5, '3', '4'],
    ]);
  });

  it('refuses an unclosed quote, text after a closing quote and a stray quote, with the line', async () => {
    assert.equal(await syntaxErrorLine('a\n"open,b\n'), 2);
    assert.equal(await syntaxErrorLine('a\nb\n"x"y,1\n'), 3);
    assert.equal(await syntaxErrorLine('a,b\n"1\n2",3\n4"5,6\n'), 4);
  });
});

describe('items CSV import', () => {
  let world: TestWorld;
  let directory: string;

  function writeFile(name: string, content: string | Buffer): string {
    const file = path.join(directory, name);
    fs.writeFileSync(file, content);
    return file;
  }

  async function count(table: 'sites' | 'items' | 'markings' | 'audit_log'): Promise<number> {
    const row = await world.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async function refusal(file: string): Promise<DomainError> {
    try {
      await importItemsCsv(world.db, world.owner, world.investigationId, file);
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
    assert.fail('the import was accepted');
  }

  before(async () => {
    world = await createTestWorld();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-import-'));
  });
  after(async () => {
    await world.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('builds sites, items and markings from rows, one row per marking', async () => {
    await createSite(world.db, world.owner, world.investigationId, {
      site_type: 'cache',
      name: 'Known cellar',
      external_ref: 'S-OLD',
    });
    const file = writeFile(
      'good.csv',
      [
        HEADER,
        'S-1,Farm,cache,36.3,43.1,I-1,small_arm,AKM,1,serial,AK 104512',
        'S-1,,,,,I-1,small_arm,,,factory_code,ЗВ 1985',
        '',
        'S-2,"Depot, north",storage_depot,,,I-2,cartridges,7.62x39,500,lot,"LOT 12-345-67"',
        'S-OLD,,,,,I-3,mortar_bomb,82 mm,2,,',
        'S-2,,,,,I-4,cartridges,,,headstamp,٣٨ ٨٩',
      ].join('\r\n'),
    );
    const phases = new Set<string>();
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, {
      onProgress: (phase) => phases.add(phase),
    });
    assert.equal(result.encoding, 'utf-8');
    assert.equal(result.rows, 5);
    assert.equal(result.sites_created, 2);
    assert.equal(result.sites_reused, 1);
    assert.equal(result.items_created, 4);
    assert.equal(result.markings_created, 4);
    assert.deepEqual(Array.from(phases).sort(), ['analyse', 'load', 'validate']);

    const items = await world.db
      .selectFrom('items')
      .innerJoin('sites', 'sites.id', 'items.site_id')
      .select(['items.external_ref', 'items.quantity', 'items.model', 'items.fuze_fitted', 'sites.name'])
      .where('items.investigation_id', '=', world.investigationId)
      .orderBy('items.external_ref')
      .execute();
    assert.deepEqual(items, [
      { external_ref: 'I-1', quantity: 1, model: 'AKM', fuze_fitted: null, name: 'Farm' },
      { external_ref: 'I-2', quantity: 500, model: '7.62x39', fuze_fitted: null, name: 'Depot, north' },
      { external_ref: 'I-3', quantity: 2, model: '82 mm', fuze_fitted: 'unknown', name: 'Known cellar' },
      { external_ref: 'I-4', quantity: 1, model: null, fuze_fitted: null, name: 'Depot, north' },
    ]);
    const found = await searchAllMarkings(world.db, world.owner, { q: '3B-1985', limit: 5, include_archived: false });
    assert.equal(found.items[0]!.item.external_ref, 'I-1');
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('refuses the whole file when one row is wrong, naming its line, and writes nothing', async () => {
    const before = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    const file = writeFile(
      'bad.csv',
      [
        HEADER,
        'S-9,Shed,cache,,,I-90,small_arm,,1,serial,X 1',
        'S-9,Shed,cache,,,I-91,small_arm,,1,serial,X 2',
        'S-9,Shed,cache,,,I-92,small_arm,,1,tattoo,X 3',
        'S-9,Shed,cache,,,I-93,small_arm,,1,serial,X 4',
      ].join('\n'),
    );
    const error = await refusal(file);
    assert.equal(error.code, 'validation_failed');
    assert.match(error.message, /1 problem; nothing was imported/);
    assert.deepEqual(error.fields, [
      {
        field: 'line 4 (marking_kind)',
        code: 'value_unknown',
        params: { value: 'tattoo', lines: '4', count: 1, options: 'factory_code|lot|year' },
        message: error.fields[0]!.message,
      },
    ]);
    assert.match(error.fields[0]!.message, /"tattoo" is not a known marking_kind \(line 4\)/);
    const afterwards = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    assert.deepEqual(afterwards, before);
  });

  it('reads coordinates and quantities as people type them, through the shared parsers', async () => {
    const file = writeFile(
      'typed.csv',
      [
        HEADER,
        `S-T1,Orchard,cache,"36°21'04""N","43°10'44""E",I-T1,small_arm,,٤٠,,`,
        'S-T2,Mill,cache,"36,3399","43,1789",I-T2,small_arm,,۱۲,,',
        'S-T3,Well,cache,٣٦٫٣٤١٢,٤٣٫١٧٨٩,I-T3,cartridges,,١٬٠٠٠,,',
        'S-T4,Bridge,cache,N36 21.07,E43 10.73,I-T4,small_arm,,६,,',
      ].join('\n'),
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(result.items_created, 4);
    const rows = await world.db
      .selectFrom('items')
      .innerJoin('sites', 'sites.id', 'items.site_id')
      .select(['items.external_ref', 'items.quantity', 'sites.latitude', 'sites.longitude'])
      .where('items.external_ref', 'in', ['I-T1', 'I-T2', 'I-T3', 'I-T4'])
      .orderBy('items.external_ref')
      .execute();
    assert.deepEqual(rows, [
      { external_ref: 'I-T1', quantity: 40, latitude: 36 + 21 / 60 + 4 / 3600, longitude: 43 + 10 / 60 + 44 / 3600 },
      { external_ref: 'I-T2', quantity: 12, latitude: 36.3399, longitude: 43.1789 },
      { external_ref: 'I-T3', quantity: 1000, latitude: 36.3412, longitude: 43.1789 },
      { external_ref: 'I-T4', quantity: 6, latitude: 36 + 21.07 / 60, longitude: 43 + 10.73 / 60 },
    ]);
  });

  it('refuses a coordinate or quantity it cannot read, with the line, the column and the code', async () => {
    const before = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    const file = writeFile(
      'typed-bad.csv',
      [
        HEADER,
        `S-U1,Orchard,cache,"43°10'44""E",43.1,I-U1,small_arm,,1,,`,
        `S-U2,Mill,cache,"36°75'",43.1,I-U2,small_arm,,1,,`,
        'S-U3,Well,cache,36.1,43.1,I-U3,cartridges,,"1,500",,',
        'S-U4,Bridge,cache,36.1,243.1,I-U4,small_arm,,٢٫٥,,',
        'S-U5,Gate,cache,-36.1 S,43.1,I-U5,small_arm,,0,,',
      ].join('\n'),
    );
    const error = await refusal(file);
    assert.deepEqual(
      error.fields.map((field) => [field.field, field.code]),
      [
        ['line 2 (lat)', 'coordinate_hemisphere_mismatch'],
        ['line 3 (lat)', 'coordinate_minutes_too_large'],
        ['line 4 (quantity)', 'number_ambiguous'],
        ['line 5 (lon)', 'coordinate_out_of_range'],
        ['line 5 (quantity)', 'not_whole'],
        ['line 6 (lat)', 'coordinate_sign_and_hemisphere'],
        ['line 6 (quantity)', 'too_small'],
      ],
    );
    assert.match(error.fields[2]!.message, /"1,500" could be read as thousands or as decimals/);
    const afterwards = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    assert.deepEqual(afterwards, before);
  });

  it('lists every kind of problem with its line', async () => {
    const file = writeFile(
      'many.csv',
      [
        HEADER,
        'S-8,,cache,91,43,I-80,small_arm,,0,serial,A 1',
        'S-8,Hut,cache,36,,I-81,weapon,,1,,',
        'S-8,Hut,cache,,,I-82,small_arm,,1,serial,',
        'S-8,Hut,cache,,,I-85,small_arm,,1,serial,C 1',
        'S-7,Barn,cache,,,I-85,cartridges,,1,lot,L 1',
        'S-7,Barn,cave,,,I-83,small_arm,,1,serial,B 1',
        'S-7,Barn,,,,I-1,small_arm,,1,serial,B 2',
        'S-7,Barn,cache,,,I-84,small_arm,,1,serial',
      ].join('\n'),
    );
    const error = await refusal(file);
    assert.deepEqual(
      error.fields.map((field) => field.field),
      [
        'line 2 (lat)',
        'line 2 (quantity)',
        'line 3 (category)',
        'line 3 (lon)',
        'line 4 (marking_text)',
        'line 6 (site_ref)',
        'line 6 (category)',
        'line 7 (site_type)',
        'line 8 (item_ref)',
        'line 9',
      ],
    );
    assert.match(error.fields[5]!.message, /item I-85 was given "S-8" on line 5/);
    assert.match(error.fields[8]!.message, /item I-1 already exists in this investigation/);
    assert.match(error.fields[9]!.message, /has 10 fields where the header has 11/);
  });

  it('audits each batch in one entry that verify checks every imported row against', async () => {
    const rows = Array.from({ length: 9 }, (_, index) => {
      const item = Math.floor(index / 2);
      const site = item % 2;
      return `S-B${site},Barn ${site},cache,35.${site},44,I-B${item},small_arm,AKM,1,serial,AK ${index}`;
    });
    const auditBefore = await count('audit_log');
    const result = await importItemsCsv(
      world.db,
      world.owner,
      world.investigationId,
      writeFile('batches.csv', [HEADER, ...rows].join('\n')),
      { batchSize: 2 },
    );
    assert.equal(result.markings_created, 9);
    assert.equal(result.items_created, 5);
    assert.equal((await count('audit_log')) - auditBefore, 5);
    const entries = await world.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type', 'after'])
      .where('seq', '>', auditBefore)
      .orderBy('seq')
      .execute();
    assert.ok(entries.every((entry) => entry.action === 'import.batch' && entry.entity_type === 'imports'));
    const created = (entries[0]!.after as { created: Record<string, [string, string][]> }).created;
    assert.equal(created.sites!.length, 1);
    assert.equal(created.markings!.length, 2);
    assert.match(created.markings![0]![1], /^[0-9a-f]{64}$/);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);

    // A change behind the application's back is caught, whichever batch wrote the row.
    const lastBatch = (entries[4]!.after as { created: Record<string, [string, string][]> }).created;
    const tampered = lastBatch.markings![0]![0];
    await sql`UPDATE markings SET text = 'AK 666' WHERE id = ${tampered}`.execute(world.db);
    const problems = (await verifyAudit(world.db)).problems;
    assert.deepEqual(
      problems.map((problem) => [problem.kind, problem.entity_id]),
      [['row_changed', tampered]],
    );
    await sql`UPDATE markings SET text = 'AK 8' WHERE id = ${tampered}`.execute(world.db);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('stores a large batch entry out of line without compressing it, intact for verify (migration 0037)', async () => {
    const rows = Array.from(
      { length: 120 },
      (_, index) => `S-Z,Zone,cache,35.5,44,I-Z${index},small_arm,AKM,1,serial,ZK ${index}`,
    );
    const auditBefore = await count('audit_log');
    await importItemsCsv(
      world.db,
      world.owner,
      world.investigationId,
      writeFile('large-batch.csv', [HEADER, ...rows].join('\n')),
    );
    const stored = await sql<{ chars: number; compression: string | null; created: number }>`
      SELECT length(after::text) AS chars, pg_column_compression(after) AS compression,
        jsonb_array_length(after->'created'->'markings') AS created
      FROM audit_log WHERE seq > ${auditBefore}`.execute(world.db);
    assert.equal(stored.rows.length, 1);
    // Large enough to be stored out of line (above about 2 kB), and not compressed.
    assert.ok(stored.rows[0]!.chars > 20_000);
    assert.equal(stored.rows[0]!.compression, null);
    assert.equal(stored.rows[0]!.created, 120);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('reads a file that is not UTF-8 as ISO-8859-1', async () => {
    const file = writeFile(
      'latin1.csv',
      Buffer.from(
        `${HEADER}\nS-L,Caf\u00e9 M\u00fcller,cache,,,I-L1,small_arm,M\u00e4rz,1,serial,N\u00ba 4711\n`,
        'latin1',
      ),
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(result.encoding, 'iso-8859-1');
    const site = await world.db
      .selectFrom('sites')
      .select('name')
      .where('external_ref', '=', 'S-L')
      .executeTakeFirstOrThrow();
    assert.equal(site.name, 'Café Müller');
    const marking = await world.db
      .selectFrom('markings')
      .innerJoin('items', 'items.id', 'markings.item_id')
      .select(['markings.text', 'items.model'])
      .where('items.external_ref', '=', 'I-L1')
      .executeTakeFirstOrThrow();
    assert.deepEqual(marking, { text: 'Nº 4711', model: 'März' });
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('H1: a CSV with one non-UTF-8 byte among UTF-8 text is refused with its line and column, nothing written', async () => {
    // The repro of issue 15: one Windows-1252 byte in a UTF-8 file.
    const mixed = Buffer.concat([
      Buffer.from(
        'site_ref,site_name,site_type,item_ref,category,marking_kind,marking_text\n' +
          'S-1,Склад,cache,I-1,small_arm,factory_code,ЗВ 1985\nS-1,,,I-3,small_arm,serial,Caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from(' 9\n'),
    ]);
    const file = writeFile('mixed.csv', mixed);
    const before = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    const error = await refusal(file);
    assert.equal(error.code, 'validation_failed');
    assert.deepEqual(error.fields, [
      {
        field: 'line 3, column 31',
        message: error.fields[0]!.message,
        code: 'encoding_invalid',
        params: { line: 3, column: 31, byte: '0xE9' },
      },
    ]);
    assert.match(error.fields[0]!.message, /mixes encodings/);
    const afterwards = await Promise.all([count('sites'), count('items'), count('markings'), count('audit_log')]);
    assert.deepEqual(afterwards, before);

    // Said to be UTF-8, it is refused at the same byte.
    const asUtf8 = await importItemsCsv(world.db, world.owner, world.investigationId, file, { encoding: 'utf-8' }).then(
      () => assert.fail('accepted'),
      (caught: unknown) => caught as DomainError,
    );
    assert.deepEqual(asUtf8.fields[0]!.params, { line: 3, column: 31, byte: '0xE9' });

    // A UTF-8 file is stored byte for byte; read back, every transcription is exactly what the file holds.
    const utf8 = writeFile(
      'utf8.csv',
      'site_ref,site_name,site_type,item_ref,category,marking_kind,marking_text\n' +
        'S-H1,Склад,cache,I-H1,small_arm,factory_code,ЗВ 1985\nS-H1,,,I-H2,small_arm,serial,مصنع ١٢\n',
    );
    assert.equal((await importItemsCsv(world.db, world.owner, world.investigationId, utf8)).encoding, 'utf-8');
    const texts = await world.db
      .selectFrom('markings')
      .innerJoin('items', 'items.id', 'markings.item_id')
      .select('markings.text')
      .where('items.external_ref', 'in', ['I-H1', 'I-H2'])
      .orderBy('items.external_ref')
      .execute();
    assert.deepEqual(
      texts.map((row) => row.text),
      ['ЗВ 1985', 'مصنع ١٢'],
    );

    // Named as ISO-8859-1 by the user, a file is read that way, every byte of it (0x80 is the euro sign).
    const named = writeFile(
      'latin1-named.csv',
      Buffer.concat([
        Buffer.from(`${HEADER}\nS-H3,Caf`),
        Buffer.from([0xe9]),
        Buffer.from(',cache,,,I-H3,small_arm,,1,serial,'),
        Buffer.from([0x80]),
        Buffer.from(' 9\n'),
      ]),
    );
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, named, {
      encoding: 'iso-8859-1',
    });
    assert.equal(result.encoding, 'iso-8859-1');
    const stored = await world.db
      .selectFrom('markings')
      .innerJoin('items', 'items.id', 'markings.item_id')
      .innerJoin('sites', 'sites.id', 'items.site_id')
      .select(['markings.text', 'sites.name'])
      .where('items.external_ref', '=', 'I-H3')
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { text: '€ 9', name: 'Café' });
  });

  it('H1: bytes undefined in Windows-1252 are refused even without UTF-8 text', async () => {
    const file = writeFile(
      'undefined-byte.csv',
      Buffer.concat([Buffer.from(`${HEADER}\nS-U,Hut,cache,,,I-U1,small_arm,,1,serial,A`), Buffer.from([0x81, 0x0a])]),
    );
    const error = await refusal(file);
    assert.equal(error.fields[0]!.code, 'encoding_invalid');
    assert.deepEqual(error.fields[0]!.params, { line: 2, column: 43, byte: '0x81' });
  });

  it('refuses a file with unknown or missing columns, and viewers', async () => {
    const columns = await refusal(writeFile('columns.csv', 'site_ref,thing,category\nS,I,other\n'));
    assert.deepEqual(
      columns.fields.map((field) => field.field),
      ['line 1 (thing)', 'line 1 (item_ref)'],
    );
    assert.match((await refusal(writeFile('empty.csv', ''))).fields[0]!.message, /empty/);
    await createTestUser(world.db, 'import-viewer');
    await addMember(world.db, world.owner, world.investigationId, { username: 'import-viewer', role: 'viewer' });
    const viewer = (
      await world.db.selectFrom('users').select('id').where('username', '=', 'import-viewer').executeTakeFirstOrThrow()
    ).id;
    await assert.rejects(
      importItemsCsv(
        world.db,
        { userId: viewer, username: 'import-viewer', isAdmin: false, via: 'cli' },
        world.investigationId,
        writeFile('viewer.csv', `${HEADER}\nS-V,V,cache,,,I-V,other,,1,,\n`),
      ),
      (error: unknown) => error instanceof DomainError && error.code === 'forbidden',
    );
    await assert.rejects(
      importItemsCsv(world.db, world.outsider, world.investigationId, writeFile('outsider.csv', `${HEADER}\n`)),
      (error: unknown) => error instanceof DomainError && error.code === 'not_found',
    );
  });
});
