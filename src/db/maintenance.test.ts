import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { analyzeTables, maintainTables, startTableMaintenance } from './maintenance.js';
import { runAsDatabaseUnit } from './pglite-dialect.js';

/** Waits until the statistics views show `ready` (counts reach them about a second after a commit). */
async function waitForStatistics(test: TestDatabase, ready: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the statistics views never showed the change');
}

async function activity(test: TestDatabase) {
  const result = await sql<{ changed: number; dead: number; tuples: number }>`
    SELECT s.n_mod_since_analyze::float8 AS changed, s.n_dead_tup::float8 AS dead, c.reltuples::float8 AS tuples
    FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
    WHERE s.relname = 'maintenance_probe'`.execute(test.db);
  return result.rows[0]!;
}

describe('table maintenance (the embedded database’s autovacuum)', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase();
    await sql`CREATE TABLE maintenance_probe (n int PRIMARY KEY)`.execute(test.db);
  });
  after(() => test.close());

  it('analyses a table once more than a tenth of its rows changed, and leaves it alone after', async () => {
    await sql`INSERT INTO maintenance_probe SELECT generate_series(1, 2000)`.execute(test.db);
    await waitForStatistics(test, async () => (await activity(test)).changed >= 2000);
    const first = await maintainTables(test.db);
    assert.ok(first.analysed.includes('maintenance_probe'), `analysed: ${first.analysed.join(', ')}`);
    assert.equal((await activity(test)).tuples, 2000, 'the planner now knows the row count');
    const second = await maintainTables(test.db);
    assert.ok(!second.analysed.includes('maintenance_probe'), 'nothing changed since: no second analysis');
  });

  it('vacuums a table whose dead rows outnumber a tenth of its live ones', async () => {
    await sql`DELETE FROM maintenance_probe WHERE n > 500`.execute(test.db);
    await waitForStatistics(test, async () => (await activity(test)).dead >= 1500);
    const result = await maintainTables(test.db);
    assert.ok(result.vacuumed.includes('maintenance_probe'), `vacuumed: ${result.vacuumed.join(', ')}`);
    await waitForStatistics(test, async () => (await activity(test)).dead === 0);
    assert.equal((await activity(test)).tuples, 500);
  });

  it('puts off a vacuum owed only to inserted rows until requests leave the database idle, analysing meanwhile', async () => {
    // Without PostgreSQL's own autovacuum, which could analyse or vacuum it first on a server.
    await sql`CREATE TABLE maintenance_inserts (n int PRIMARY KEY) WITH (autovacuum_enabled = false)`.execute(test.db);
    await sql`INSERT INTO maintenance_inserts SELECT generate_series(1, 3000)`.execute(test.db);
    const inserted = async () =>
      (
        await sql<{ inserted: number }>`SELECT n_ins_since_vacuum::float8 AS inserted FROM pg_stat_user_tables
          WHERE relname = 'maintenance_inserts'`.execute(test.db)
      ).rows[0]?.inserted ?? 0;
    await waitForStatistics(test, async () => (await inserted()) >= 3000);
    // A request has just used the database, and it must have been idle for an hour: analysed (its rows are new
    // to the planner), not vacuumed.
    await runAsDatabaseUnit(() => sql`SELECT 1`.execute(test.db));
    const busy = await maintainTables(test.db, { insertVacuumWhenIdleMs: 3_600_000 });
    assert.ok(busy.analysed.includes('maintenance_inserts'), `analysed: ${busy.analysed.join(', ')}`);
    assert.ok(!busy.vacuumed.includes('maintenance_inserts'), `vacuumed: ${busy.vacuumed.join(', ')}`);
    const idle = await maintainTables(test.db, { insertVacuumWhenIdleMs: 0 });
    assert.ok(idle.vacuumed.includes('maintenance_inserts'), `vacuumed: ${idle.vacuumed.join(', ')}`);
  });

  it('analyses named tables after a bulk load, and the loop runs a pass at once and stops cleanly', async () => {
    await sql`INSERT INTO maintenance_probe SELECT generate_series(501, 900)`.execute(test.db);
    await analyzeTables(test.db, ['maintenance_probe' as never]);
    assert.equal((await activity(test)).tuples, 900);
    const passes: string[][] = [];
    const errors: unknown[] = [];
    const loop = startTableMaintenance(test.db, {
      intervalMs: 60_000,
      onPass: (result) => passes.push(result.analysed),
      onError: (error) => errors.push(error),
    });
    await loop.stop();
    assert.deepEqual(errors, []);
  });
});
