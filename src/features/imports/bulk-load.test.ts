import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { searchAllMarkings } from '../marking-search/service.js';
import * as repository from './repository.js';
import { importItemsCsv } from './service.js';

const HEADER = 'site_ref,site_name,site_type,lat,lon,item_ref,category,model,quantity,marking_kind,marking_text';

/** Pages a GIN index still holds in its pending list (flushing them to find out). */
async function pendingPages(world: TestWorld, index: string): Promise<number> {
  const result = await sql<{
    pages: string | number;
  }>`SELECT gin_clean_pending_list(${index}::regclass) AS pages`.execute(world.db);
  return Number(result.rows[0]!.pages);
}

describe('items CSV import, what the search finds right after it', () => {
  let world: TestWorld;
  let directory: string;

  before(async () => {
    world = await createTestWorld();
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bulk-load-'));
  });
  after(async () => {
    await world.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('leaves nothing in the pending lists of the search indexes', async () => {
    const rows = Array.from(
      { length: 400 },
      (_, index) =>
        `S-${index % 7},Site ${index % 7},cache,,,I-${index},cartridges,,1,lot,LOT ${1000 + index}-${index}`,
    );
    const file = path.join(directory, 'lots.csv');
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file);
    assert.equal(result.markings_created, 400);
    // A GIN index takes new entries into a pending list that every search reads whole; a plain ANALYZE
    // leaves it there, and the embedded database has no autovacuum to empty it.
    assert.equal(await pendingPages(world, 'markings_confusion_trgm'), 0);
    assert.equal(await pendingPages(world, 'marking_search_keys_pairs'), 0);
    const hits = await searchAllMarkings(world.db, world.owner, {
      q: 'LOT 1O42-42',
      limit: 5,
      include_archived: false,
    });
    assert.equal(hits.items[0]!.text, 'LOT 1042-42');
  });

  it('stores every row exactly and audits it when later batches go in through COPY', async () => {
    // Many small batches: the first ones are inserted and read back, the rest copied (src/db/copy.ts).
    const awkward = (index: number) =>
      [`AK\\${index}`, `ЗВ 19${index}`, `قذيفة ${index}`, `N\\N ${index}`, `"LOT ${index}", 12`][index % 5]!;
    const rows = Array.from({ length: 60 }, (_, index) => {
      const text = awkward(index);
      const cell = text.includes('"') ? `"${text.replaceAll('"', '""')}"` : text;
      const site = Math.floor(index / 2) % 3;
      return `C-${site},Café ${site},cache,35.${site}123456789,44.5,C-I-${Math.floor(index / 2)},small_arm,AKM,2,serial,${cell}`;
    });
    const file = path.join(directory, 'copied.csv');
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    // rowsKept: 10 — a file larger than the validation keeps is read a second time by the load.
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, {
      batchSize: 3,
      rowsKept: 10,
    });
    assert.equal(result.markings_created, 60);
    assert.equal(result.items_created, 30);
    const stored = await world.db
      .selectFrom('markings')
      .innerJoin('items', 'items.id', 'markings.item_id')
      .select(['markings.text', 'items.external_ref', 'items.quantity'])
      .where('items.external_ref', 'like', 'C-I-%')
      .execute();
    assert.deepEqual(
      stored.map((row) => row.text).sort(),
      Array.from({ length: 60 }, (_, index) => awkward(index)).sort(),
    );
    assert.ok(stored.every((row) => row.quantity === 2));
    const sites = await world.db
      .selectFrom('sites')
      .select(['name', 'latitude'])
      .where('external_ref', 'like', 'C-%')
      .orderBy('external_ref')
      .execute();
    assert.deepEqual(sites, [
      { name: 'Café 0', latitude: 35.0123456789 },
      { name: 'Café 1', latitude: 35.1123456789 },
      { name: 'Café 2', latitude: 35.2123456789 },
    ]);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  /** The definitions of the indexes and foreign keys of the imported tables, and the oids of the indexes. */
  async function schemaOf(): Promise<{ definitions: string[]; oids: Map<string, number> }> {
    const indexes = await sql<{ name: string; oid: number; definition: string }>`
      SELECT c.relname AS name, c.oid::int AS oid, pg_get_indexdef(c.oid) AS definition
      FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
      WHERE x.indrelid IN ('sites'::regclass, 'items'::regclass, 'markings'::regclass)`.execute(world.db);
    const keys = await sql<{ definition: string }>`
      SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS definition
      FROM pg_constraint WHERE conrelid IN ('sites'::regclass, 'items'::regclass, 'markings'::regclass)`.execute(
      world.db,
    );
    return {
      definitions: [...indexes.rows.map((row) => row.definition), ...keys.rows.map((row) => row.definition)].sort(),
      oids: new Map(indexes.rows.map((row) => [row.name, row.oid])),
    };
  }

  it('loads an import larger than the tables without their secondary indexes and builds them again as they were', async () => {
    const before = await schemaOf();
    const rows = Array.from(
      { length: 900 },
      (_, index) =>
        `B-${Math.floor(index / 2) % 40},Bulk ${Math.floor(index / 2) % 40},cache,,,B-I-${Math.floor(index / 2)},cartridges,,1,lot,LOT ${7000 + index}-B`,
    );
    const file = path.join(directory, 'bulk.csv');
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, {
      batchSize: 200,
      bulkMinimumRows: 100,
    });
    assert.equal(result.markings_created, 900);
    assert.equal(result.items_created, 450);
    const after = await schemaOf();
    assert.deepEqual(after.definitions, before.definitions);
    // Rebuilt: the secondary indexes of the tables that took more rows than they held are new objects.
    assert.notEqual(after.oids.get('markings_item'), before.oids.get('markings_item'));
    assert.notEqual(after.oids.get('items_site'), before.oids.get('items_site'));
    assert.equal(after.oids.get('markings_pkey'), before.oids.get('markings_pkey'));
    assert.equal(await pendingPages(world, 'markings_confusion_trgm'), 0);
    const hits = await searchAllMarkings(world.db, world.owner, {
      q: 'LOT 7O42-B',
      limit: 5,
      include_archived: false,
    });
    assert.equal(hits.items[0]!.text, 'LOT 7042-B');
    const linked = await sql<{ count: string | number }>`
      SELECT count(*) AS count FROM markings m JOIN items i ON i.id = m.item_id JOIN sites s ON s.id = i.site_id
      WHERE s.external_ref LIKE 'B-%'`.execute(world.db);
    assert.equal(Number(linked.rows[0]!.count), 900);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('keeps the indexes of a table that holds more rows than the import brings', async () => {
    const before = await schemaOf();
    const rows = Array.from(
      { length: 150 },
      (_, index) => `K-1,Small,cache,,,K-I-${index},cartridges,,1,lot,LOT ${9000 + index}-K`,
    );
    const file = path.join(directory, 'small.csv');
    fs.writeFileSync(file, [HEADER, ...rows].join('\n'));
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, { bulkMinimumRows: 100 });
    assert.equal(result.markings_created, 150);
    const after = await schemaOf();
    // markings (900+ rows) and items (450+) hold more than 150: their indexes were maintained row by row.
    assert.equal(after.oids.get('markings_item'), before.oids.get('markings_item'));
    assert.equal(after.oids.get('items_site'), before.oids.get('items_site'));
    assert.deepEqual(after.definitions, before.definitions);
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('finds the rows that break a foreign key set aside, and rolls back to the schema as it was', async () => {
    const before = await schemaOf();
    const stamp = { investigationId: world.investigationId, userId: world.owner.userId, at: new Date().toISOString() };
    const siteId = '0190a0a0-0000-7000-8000-000000000001';
    const itemId = '0190a0a0-0000-7000-8000-000000000002';
    await assert.rejects(
      world.db.transaction().execute(async (trx) => {
        const setAside = await repository.setAsideForBulkLoad(trx, ['items'], ['sites']);
        assert.ok(setAside !== undefined);
        const key = setAside.foreignKeys.find((candidate) => candidate.referenced === 'sites');
        assert.ok(key !== undefined);
        // An item whose site does not exist: only the foreign key set aside would have stopped it.
        await repository.copyItems(trx, stamp, [
          {
            id: itemId,
            site_id: siteId,
            external_ref: 'DANGLING-1',
            category: 'cartridges',
            model: null,
            quantity: 1,
            fuze_fitted: null,
          },
        ]);
        assert.deepEqual(await repository.findDanglingReferences(trx, stamp, key), [itemId]);
        await repository.restoreSetAside(trx, setAside);
      }),
      (error: { code?: string }) => error.code === '23503',
    );
    assert.deepEqual((await schemaOf()).definitions, before.definitions);
  });
});
