/**
 * Where the scale benchmark's reads spend their database time on PostgreSQL: on a database kept by
 * `npm run bench:scale -- --fill-only --state DIR`, runs what each read route of the benchmark runs (the API
 * token's check, the item page, the items list, the marking search in the investigation, seen elsewhere) through
 * the services themselves, one at a time (one user: the cost of the queries, not the machine's queueing), records
 * every statement each issues with its time, and prints per route and statement p50 / p95 and the plan
 * (`EXPLAIN (ANALYZE, BUFFERS)`) of the slowest run of each statement.
 *
 *   npx tsx bench/load/read-plans.ts --reuse /tmp/scale --runs 100
 *   npx tsx bench/load/read-plans.ts --reuse /tmp/scale --routes 'item page,marking search' --plans all
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../../src/db/tables.js';
import { getItem, listItems } from '../../src/features/items/service.js';
import { itemListQuerySchema } from '../../src/features/items/schema.js';
import { searchMarkings } from '../../src/features/markings/service.js';
import { markingSearchQuerySchema } from '../../src/features/markings/schema.js';
import { seenElsewhere } from '../../src/features/marking-search/service.js';
import { seenElsewhereQuerySchema } from '../../src/features/marking-search/schema.js';
import { authenticateApiToken } from '../../src/features/users/service.js';

const { values: options } = parseArgs({
  options: {
    reuse: { type: 'string' },
    runs: { type: 'string', default: '100' },
    routes: { type: 'string', default: 'token,item page,items list,marking search,seen elsewhere' },
    // 'slowest' (the plan of each statement's slowest run) or 'none'.
    plans: { type: 'string', default: 'slowest' },
  },
});
if (options.reuse === undefined) throw new Error('--reuse DIR: a folder kept by npm run bench:scale -- --fill-only');
const state = JSON.parse(fs.readFileSync(path.join(options.reuse, 'state.json'), 'utf8')) as {
  databaseName: string;
  investigationId: string;
  token: string;
  queries: string[];
};
const serverUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres');
serverUrl.pathname = `/${state.databaseName}`;

interface Statement {
  route: string;
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}
const statements: Statement[] = [];
let currentRoute = '';
const types = new pg.TypeOverrides();
types.setTypeParser(20, Number);
types.setTypeParser(1700, Number);
types.setTypeParser(1082, (value: string) => value);
// The server's pool settings (src/db/database.ts): JIT off.
const pool = new pg.Pool({ connectionString: serverUrl.toString(), types, max: 10, options: '-c jit=off' });
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  log: (event) => {
    if (event.level === 'query') {
      statements.push({
        route: currentRoute,
        sql: event.query.sql,
        parameters: event.query.parameters,
        ms: event.queryDurationMillis,
      });
    }
  },
});

const client = new pg.Client({ connectionString: serverUrl.toString(), options: '-c jit=off' });
await client.connect();
const column = async (text: string) => (await client.query<{ value: string }>(text)).rows.map((row) => row.value);
// The same kind of samples as the load benchmark (bench/load/scale.ts), reproducible here.
await client.query(`SELECT setseed(0.5)`);
const itemIds = await column(`SELECT id AS value FROM items ORDER BY random() LIMIT 1000`);
const siteIds = await column(`SELECT id AS value FROM sites ORDER BY random() LIMIT 500`);
const markingTexts = await column(`SELECT text AS value FROM markings ORDER BY random() LIMIT 1000`);
const categories = ['small_arm', 'cartridges', 'mortar_bomb', 'rocket', 'fuze', 'packaging'];

const actor = await authenticateApiToken(db, state.token);
if (actor === undefined) throw new Error('the kept API token is not accepted');
const runs = Number(options.runs);
const wanted = new Set(options.routes.split(',').map((route) => route.trim()));
const routes: Record<string, (index: number) => Promise<unknown>> = {
  token: () => authenticateApiToken(db, state.token),
  'item page': (index) => getItem(db, actor, itemIds[index % itemIds.length]!),
  'items list': (index) =>
    listItems(
      db,
      actor,
      state.investigationId,
      itemListQuerySchema.parse(
        index % 3 === 0
          ? { limit: 50, site_id: siteIds[index % siteIds.length] }
          : index % 3 === 1
            ? { limit: 50, category: categories[index % categories.length] }
            : { limit: 50 },
      ),
    ),
  'marking search': (index) =>
    searchMarkings(
      db,
      actor,
      state.investigationId,
      markingSearchQuerySchema.parse({ limit: 10, q: state.queries[index % state.queries.length] }),
    ),
  'seen elsewhere': (index) =>
    seenElsewhere(
      db,
      actor,
      seenElsewhereQuerySchema.parse({ limit: 10, text: markingTexts[index % markingTexts.length] }),
    ),
};

const percentile = (samples: readonly number[], fraction: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
};
const sum = (list: readonly Statement[]) => list.reduce((total, statement) => total + statement.ms, 0);

for (const [route, run] of Object.entries(routes)) {
  if (!wanted.has(route)) continue;
  currentRoute = route;
  // Two warm-up calls, then the measured ones.
  await run(runs);
  await run(runs + 1);
  statements.length = 0;
  const totals: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const started = performance.now();
    await run(index);
    totals.push(performance.now() - started);
  }
  process.stdout.write(
    `\n#### ${route}: ${runs} calls, p50 ${percentile(totals, 0.5).toFixed(2)} ms, p95 ${percentile(totals, 0.95).toFixed(2)} ms, ` +
      `${(statements.length / runs).toFixed(1)} statements a call\n`,
  );
  const shapes = new Map<string, Statement[]>();
  for (const statement of statements) {
    const shape = statement.sql.replace(/\s+/g, ' ').replace(/\$\d+/g, '$').slice(0, 200);
    shapes.set(shape, [...(shapes.get(shape) ?? []), statement]);
  }
  for (const [shape, list] of [...shapes].sort((a, b) => sum(b[1]) - sum(a[1]))) {
    const ms = list.map((statement) => statement.ms);
    process.stdout.write(
      `\n== ${list.length} runs, total ${sum(list).toFixed(0)} ms, p50 ${percentile(ms, 0.5).toFixed(2)} ms, ` +
        `p95 ${percentile(ms, 0.95).toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms\n${shape}\n`,
    );
    const slowest = list.reduce((a, b) => (b.ms > a.ms ? b : a));
    // BEGIN, COMMIT and set_config have no plan worth showing.
    if (options.plans === 'none' || !/^\s*(select|update|insert|delete|with)\b/i.test(slowest.sql)) continue;
    if (/set_config/.test(slowest.sql)) continue;
    const isSelect = /^\s*select/i.test(slowest.sql);
    // A write is explained inside a transaction that is rolled back.
    await client.query('BEGIN');
    try {
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`,
        slowest.parameters as unknown[],
      );
      process.stdout.write(`${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
    } finally {
      await client.query(isSelect ? 'COMMIT' : 'ROLLBACK');
    }
  }
}
await client.end();
await db.destroy();
