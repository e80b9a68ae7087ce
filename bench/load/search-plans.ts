/**
 * Where a marking search's time goes on the embedded database: runs the
 * investigation's marking search (what `GET /investigations/{id}/markings?q=`
 * runs) for the benchmark's noisy queries on a PGlite data directory kept by
 * `npm run bench:load -- --keep`, times every statement it issues, groups them
 * by statement, and prints p50 / p95 per statement and the plan
 * (`EXPLAIN (ANALYZE, BUFFERS)`) of the slowest run of each. One process, one
 * connection, as `armtrace serve` has; about a minute at 200k items.
 *
 *   npx tsx bench/load/search-plans.ts --data /tmp/armtrace-bench-load-XXXX/data --queries 100
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
import { searchMarkings } from '../../src/features/markings/service.js';
import { generateDataset, generateQueries } from '../markings/generate.js';

const { values: options } = parseArgs({
  options: {
    data: { type: 'string' },
    queries: { type: 'string', default: '100' },
    markings: { type: 'string', default: '500000' },
    seed: { type: 'string', default: '20240601' },
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
const dataset = generateDataset(Number(options.markings), Number(options.seed));
const queries = generateQueries(dataset, 300).map((query) => query.query);
const actor = actorFor(await findUserByUsername(db, 'analyst'), 'cli');
const investigation = await db.selectFrom('investigations').select('id').executeTakeFirstOrThrow();
const totals: number[] = [];
for (let index = 0; index < Number(options.queries); index += 1) {
  const started = performance.now();
  await searchMarkings(db, actor, investigation.id, {
    q: queries[(index + 10) % queries.length]!,
    limit: 10,
    include_archived: false,
  });
  totals.push(performance.now() - started);
}
const percentile = (samples: number[], fraction: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};
process.stdout.write(
  `${totals.length} searches: p50 ${percentile(totals, 0.5).toFixed(1)} ms, p95 ${percentile(totals, 0.95).toFixed(1)} ms\n`,
);
const shapes = new Map<string, Statement[]>();
for (const statement of statements) {
  const shape = statement.sql.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 160);
  shapes.set(shape, [...(shapes.get(shape) ?? []), statement]);
}
for (const [shape, runs] of [...shapes].sort((a, b) => sum(b[1]) - sum(a[1]))) {
  const ms = runs.map((run) => run.ms);
  process.stdout.write(
    `\n== ${runs.length} runs, total ${sum(runs).toFixed(0)} ms, p50 ${percentile(ms, 0.5).toFixed(1)} ms, p95 ${percentile(ms, 0.95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms\n${shape}\n`,
  );
  const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
  if (slowest.ms < 5 || !/^\s*select/i.test(slowest.sql)) continue;
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
