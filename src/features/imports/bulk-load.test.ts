import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { searchAllMarkings } from '../marking-search/service.js';
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
    const result = await importItemsCsv(world.db, world.owner, world.investigationId, file, { batchSize: 3 });
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
});
