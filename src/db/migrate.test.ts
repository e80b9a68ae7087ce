import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { migrate } from './migrate.js';

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');
const migrationNames = fs
  .readdirSync(migrationsDir)
  .filter((name) => name.endsWith('.sql'))
  .sort();

/** Every table some migration creates, read from the SQL itself so new migrations are covered too. */
const tablesInMigrations = migrationNames.flatMap((name) =>
  [
    ...fs.readFileSync(path.join(migrationsDir, name), 'utf8').matchAll(/^CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gim),
  ].map((match) => match[1]!),
);

async function publicTables(test: TestDatabase): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
    ORDER BY table_name`.execute(test.db);
  return result.rows.map((row) => row.table_name);
}

describe('migrate', () => {
  let test: TestDatabase;
  before(async () => {
    test = await createTestDatabase({ migrated: false });
  });
  after(async () => {
    await test.close();
  });

  it('creates every table on an empty database', async () => {
    assert.deepEqual(await publicTables(test), []);
    const result = await migrate(test.database);
    assert.deepEqual(result, { applied: migrationNames, alreadyApplied: [] });

    const tables = await publicTables(test);
    for (const table of [...tablesInMigrations, 'schema_migrations']) {
      assert.ok(tables.includes(table), `table ${table} exists`);
    }
    for (const table of ['users', 'investigations', 'sites', 'items', 'markings', 'audit_log']) {
      assert.ok(tablesInMigrations.includes(table), `${table} is created by a migration`);
    }
    const recorded = await test.db
      .selectFrom('schema_migrations')
      .select(['name', 'checksum'])
      .orderBy('name')
      .execute();
    assert.deepEqual(
      recorded.map((row) => row.name),
      migrationNames,
    );
    for (const row of recorded) assert.match(row.checksum, /^[0-9a-f]{64}$/);
  });

  it('applies nothing the second time', async () => {
    const result = await migrate(test.database);
    assert.deepEqual(result, { applied: [], alreadyApplied: migrationNames });
  });

  it('refuses to run when an applied migration was changed', async () => {
    const first = migrationNames[0]!;
    await test.db
      .updateTable('schema_migrations')
      .set({ checksum: '0'.repeat(64) })
      .where('name', '=', first)
      .execute();
    await assert.rejects(migrate(test.database), (error: Error) => {
      assert.match(error.message, new RegExp(`Migration ${first} was changed after it was applied`));
      return true;
    });
  });
});
