// Every column of every exported table is classified in personal-data.ts (issue 13, item 2): a column added by a
// migration and not classified fails here, before it can leave the organisation in an export.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { hazardColumns, itemColumns, markingColumns, siteColumns } from './datasets.js';
import { columnClasses, personalDataColumns } from './personal-data.js';
import { exportedTables } from './repository.js';

describe('personal-data registry against the migrated schema', () => {
  let test: TestDatabase;
  let migrated: Map<string, string[]>;
  before(async () => {
    test = await createTestDatabase();
    const result = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`.execute(test.db);
    migrated = new Map();
    for (const row of result.rows) {
      migrated.set(row.table_name, [...(migrated.get(row.table_name) ?? []), row.column_name]);
    }
  });
  after(() => test.close());

  it('classifies every column of every exported table', () => {
    const unclassified: string[] = [];
    for (const table of exportedTables) {
      const columns = migrated.get(table);
      assert.ok(columns !== undefined, `${table} exists in the migrated schema`);
      for (const column of columns) {
        if (personalDataColumns[table][column] === undefined) unclassified.push(`${table}.${column}`);
      }
    }
    assert.deepEqual(unclassified, [], 'classify these columns in src/features/export/personal-data.ts');
  });

  it('classifies no column the schema does not have, with a known class', () => {
    for (const table of exportedTables) {
      const columns = new Set(migrated.get(table));
      for (const [column, columnClass] of Object.entries(personalDataColumns[table])) {
        assert.ok(columns.has(column), `${table}.${column} is in the schema`);
        assert.ok((columnClasses as readonly string[]).includes(columnClass), `${table}.${column}: ${columnClass}`);
      }
    }
  });

  it('names the stored column of every tabular export column made from one', () => {
    // Made here, not read: ids of the row itself or its parent, and counts.
    const derived = new Set(['site_id', 'item_id', 'marking_id', 'item_count', 'marking_count']);
    for (const column of [...siteColumns, ...itemColumns, ...markingColumns, ...hazardColumns]) {
      if (derived.has(column.name)) continue;
      assert.ok(column.from !== undefined, `${column.name} says which stored column it comes from`);
      const [table, name] = column.from.split('.') as [keyof typeof personalDataColumns, string];
      assert.ok(personalDataColumns[table][name] !== undefined, `${column.from} is classified`);
    }
  });
});
