// COPY … FROM STDIN through Kysely, on the database the tests run on (PGlite, or PostgreSQL with DATABASE_URL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { copyRows, copyText } from './copy.js';

describe('copyRows', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase({ migrated: false });
    await sql`CREATE TABLE copied (id int PRIMARY KEY, label text, amount float8, note text DEFAULT 'none')`.execute(
      database.db,
    );
  });
  after(async () => {
    await database.close();
  });

  it('writes text with every character COPY escapes, NULLs and numbers exactly', async () => {
    const awkward = 'tab\there, new\nline, cr\rback\\slash \\N, قذيفة, ЗВ 1985';
    await copyRows(
      database.db,
      'copied',
      ['id', 'label', 'amount'],
      [
        [1, awkward, 0.1 + 0.2],
        [2, null, -1e-300],
        [3, '\\N', 51.12345678901234],
      ],
    );
    const rows = await sql<{ id: number; label: string | null; amount: number; note: string }>`
      SELECT id, label, amount, note FROM copied ORDER BY id`.execute(database.db);
    assert.deepEqual(rows.rows, [
      { id: 1, label: awkward, amount: 0.1 + 0.2, note: 'none' },
      { id: 2, label: null, amount: -1e-300, note: 'none' },
      { id: 3, label: '\\N', amount: 51.12345678901234, note: 'none' },
    ]);
  });

  it('runs in the transaction: rolled back with it, and a refused row refuses the statement', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await copyRows(trx, 'copied', ['id', 'label'], [[10, 'kept until the rollback']]);
        const seen = await sql<{ count: number }>`SELECT count(*)::int AS count FROM copied WHERE id = 10`.execute(trx);
        assert.equal(seen.rows[0]!.count, 1);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    await assert.rejects(
      copyRows(
        database.db,
        'copied',
        ['id', 'label'],
        [
          [20, 'a'],
          [20, 'duplicate'],
        ],
      ),
      /duplicate key/,
    );
    const left = await sql<{ count: number }>`SELECT count(*)::int AS count FROM copied WHERE id >= 10`.execute(
      database.db,
    );
    assert.equal(left.rows[0]!.count, 0);
    // The connection is usable after a failed COPY.
    const after = await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db);
    assert.equal(after.rows[0]!.one, 1);
  });

  it('writes nothing for no rows', async () => {
    assert.equal(copyText([]), '');
    await copyRows(database.db, 'copied', ['id'], []);
  });
});
