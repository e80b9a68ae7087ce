// The embedded database's scheduler, on PGlite itself (what it schedules does not exist on PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { PGliteDialect, runAsDatabaseUnit } from './pglite-dialect.js';

describe('PGlite dialect: least-served unit first', () => {
  let pglite: PGlite;
  let db: Kysely<Record<string, never>>;
  before(async () => {
    pglite = await PGlite.create();
    db = new Kysely({ dialect: new PGliteDialect(pglite) });
  });
  after(async () => {
    await db.destroy();
    await pglite.close();
  });

  it('serves a light unit’s statements before the queued statements of units that have had more', async () => {
    const finished: string[] = [];
    const longUnit = (name: string) =>
      runAsDatabaseUnit(async () => {
        for (let step = 0; step < 4; step += 1) {
          await sql`SELECT pg_sleep(0.03)`.execute(db);
          finished.push(`${name}${step}`);
        }
      });
    const searches = [longUnit('a'), longUnit('b'), longUnit('c')];
    // The light unit arrives once the long ones have each had a statement.
    while (finished.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    const light = runAsDatabaseUnit(async () => {
      for (let step = 0; step < 3; step += 1) {
        await sql`SELECT 1`.execute(db);
        finished.push(`light${step}`);
      }
    });
    await Promise.all([...searches, light]);
    const lightDone = finished.indexOf('light2');
    // FIFO would put each light statement behind the three long units' next statements (9 in all).
    const longBefore = finished.slice(0, lightDone).filter((name) => !name.startsWith('light')).length;
    assert.ok(longBefore <= 5, `the light unit finished after ${longBefore} long statements: ${finished.join(' ')}`);
    assert.equal(finished.length, 15, 'every statement ran');
  });

  it('keeps a transaction’s statements together and runs every caller outside any unit too', async () => {
    const results = await Promise.all([
      db.transaction().execute(async (trx) => {
        const first = await sql<{ n: number }>`SELECT 1 AS n`.execute(trx);
        const second = await sql<{ n: number }>`SELECT 2 AS n`.execute(trx);
        return first.rows[0]!.n + second.rows[0]!.n;
      }),
      sql<{ n: number }>`SELECT 4 AS n`.execute(db).then((result) => result.rows[0]!.n),
    ]);
    assert.deepEqual(results, [3, 4]);
  });
});
