/**
 * Where the items list's time goes on the embedded database: runs the
 * investigation's items list (what `GET /investigations/{id}/items` runs, with
 * the benchmark's filters: by site, by category, `next_after` pages) on a PGlite
 * data directory kept by `npm run bench:load -- --keep` (or `--snapshot`), times
 * every statement, groups them by statement, and prints p50 / p95 per statement
 * and the plan (`EXPLAIN (ANALYZE, BUFFERS)`) of the slowest run of each.
 *
 *   npx tsx bench/load/list-plans.ts --data /tmp/armtrace-bench-load-XXXX/data --requests 150
 */
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely } from 'kysely';
import path from 'node:path';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import type { DB } from '../../src/db/tables.js';
import { actorFor, findUserByUsername } from '../../src/features/users/service.js';
import { listItems } from '../../src/features/items/service.js';
import { itemListQuerySchema } from '../../src/features/items/schema.js';

const { values: options } = parseArgs({
  options: {
    data: { type: 'string' },
    requests: { type: 'string', default: '150' },
  },
});
if (options.data === undefined) throw new Error('--data DIR: a data directory kept by npm run bench:load -- --keep');

interface Statement {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}
const statements: Statement[] = [];
const pglite = await PGlite.create({
  dataDir: path.join(options.data, 'pgdata'),
  extensions: { pg_trgm, fuzzystrmatch, unaccent },
});
const db = new Kysely<DB>({
  dialect: new PGliteDialect(pglite),
  log: (event) => {
    if (event.level === 'query') {
      statements.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
    }
  },
});
const actor = actorFor(await findUserByUsername(db, 'analyst'), 'cli');
const investigation = await db.selectFrom('investigations').select('id').executeTakeFirstOrThrow();
const siteIds = (await db.selectFrom('sites').select('id').limit(200).execute()).map((row) => row.id);
const categories = ['small_arm', 'cartridges', 'mortar_bomb', 'rocket', 'fuze', 'grenade'];
statements.length = 0;
const totals: number[] = [];
let after: string | undefined;
for (let index = 0; index < Number(options.requests); index += 1) {
  const query: Record<string, string> = { limit: '50' };
  if (index % 3 === 0) query.site_id = siteIds[index % siteIds.length]!;
  else if (index % 3 === 1) query.category = categories[index % categories.length]!;
  else if (after !== undefined) query.after = after;
  const started = performance.now();
  const page = await listItems(db, actor, investigation.id, itemListQuerySchema.parse(query));
  totals.push(performance.now() - started);
  if (index % 3 === 2) after = page.next_after ?? undefined;
}
const percentile = (samples: number[], fraction: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};
process.stdout.write(
  `${totals.length} lists: p50 ${percentile(totals, 0.5).toFixed(1)} ms, p95 ${percentile(totals, 0.95).toFixed(1)} ms\n`,
);
const shapes = new Map<string, Statement[]>();
for (const statement of statements) {
  const shape = statement.sql.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 240);
  shapes.set(shape, [...(shapes.get(shape) ?? []), statement]);
}
for (const [shape, runs] of [...shapes].sort((a, b) => sum(b[1]) - sum(a[1]))) {
  const ms = runs.map((run) => run.ms);
  process.stdout.write(
    `\n== ${runs.length} runs, total ${sum(runs).toFixed(0)} ms, p50 ${percentile(ms, 0.5).toFixed(1)} ms, p95 ${percentile(ms, 0.95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms\n${shape}\n`,
  );
  const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
  if (!/^\s*select/i.test(slowest.sql)) continue;
  const plan = await pglite.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`, [
    ...slowest.parameters,
  ]);
  process.stdout.write(`${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
}
await db.destroy();
await pglite.close();

function sum(runs: readonly Statement[]): number {
  return runs.reduce((total, run) => total + run.ms, 0);
}
