/**
 * Load benchmark of the embedded database as a user gets it (issue 12, item 5):
 * a PGlite data directory filled by `armtrace import items` (a separate CLI
 * process, no manual step after it), then `armtrace serve` on loopback, and
 * HTTP clients with API tokens:
 *
 * - list: one client pages through the items list (filters by site and category, and `next_after` pages);
 * - search: one client runs noisy marking searches in the investigation;
 * - busy: 10 clients search without pause while a second user asks for `GET /auth/me`, the lightest request.
 *
 * Baseline, in the same run: the same data directory with the planner
 * statistics removed (the state every earlier import left: PGlite has no
 * autovacuum) served without the table maintenance, i.e. armtrace before it
 * analysed anything. Ratios are baseline / armtrace.
 *
 *   npm run bench:load                         # 500,000 markings (≈200,000 items), 200 requests per phase
 *   npm run bench:load -- --markings 100000 --requests 100 --busy-seconds 20 --out result.json
 *   npm run bench:load -- --no-baseline --keep   # armtrace only; the data directory is kept
 *   npm run bench:load -- --markings 500000 --snapshot /tmp/load-200k   # first run: imports, then keeps a copy
 *   npm run bench:load -- --markings 500000 --snapshot /tmp/load-200k   # later runs: start from that copy
 *
 * `--snapshot DIR` keeps the data directory as the import left it (before any server ran on it: no table
 * maintenance yet) in DIR, with the investigation and the tokens in DIR/bench-load.json; a later run with the
 * same DIR copies it instead of generating and importing again, so runs before and after a change start from the
 * same state, right after the CLI import.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { datasetCsvLines, generateDataset, generateQueries } from '../markings/generate.js';

const { values: options } = parseArgs({
  options: {
    markings: { type: 'string', default: '500000' },
    requests: { type: 'string', default: '200' },
    clients: { type: 'string', default: '10' },
    'busy-seconds': { type: 'string', default: '30' },
    seed: { type: 'string', default: '20240601' },
    out: { type: 'string' },
    // Leave the data directory in place (its path is printed), e.g. to look at query plans afterwards.
    keep: { type: 'boolean', default: false },
    // Measure armtrace only, not the baseline without statistics (halves the run).
    'no-baseline': { type: 'boolean', default: false },
    // Keep the data directory right after the import in DIR, or start from the copy kept there by an earlier run.
    snapshot: { type: 'string' },
  },
});
const markingCount = Number(options.markings);
const requestCount = Number(options.requests);
const clientCount = Number(options.clients);
const busySeconds = Number(options['busy-seconds']);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const cliPath = path.join(repoRoot, 'bin/armtrace.mjs');
const password = 'load benchmark password';

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Runs the armtrace CLI against the benchmark's data directory and returns its standard output. */
function cli(dataDir: string, args: string[]): string {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: { ...process.env, ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`armtrace ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Starts a server process and resolves with its address once it listens. */
async function startServer(command: string[], dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, command, {
    env: { ...process.env, ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'warn', ARMTRACE_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('running at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

interface Timed {
  ms: number;
  status: number;
}

async function timedGet(url: string, token: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

interface PhaseFigures {
  requests: number;
  failed: number;
  p50: number;
  p95: number;
}

function figures(samples: readonly Timed[]): PhaseFigures {
  const ms = samples.map((sample) => sample.ms);
  return {
    requests: samples.length,
    failed: samples.filter((sample) => sample.status !== 200).length,
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
  };
}

interface Workload {
  baseUrl: string;
  investigationId: string;
  analystToken: string;
  secondToken: string;
  siteIds: string[];
  queries: string[];
}

const categories = ['small_arm', 'cartridges', 'mortar_bomb', 'rocket', 'fuze', 'grenade'];

async function measure(
  workload: Workload,
): Promise<{ list: PhaseFigures; search: PhaseFigures; busy: PhaseFigures; busySearches: number }> {
  const { baseUrl, investigationId, analystToken } = workload;
  const items = `${baseUrl}/api/v1/investigations/${investigationId}/items`;
  const markings = `${baseUrl}/api/v1/investigations/${investigationId}/markings`;
  // Warm-up, as a user's first screens would.
  for (let index = 0; index < 10; index += 1) {
    await timedGet(`${items}?limit=50`, analystToken);
    await timedGet(`${markings}?limit=10&q=${encodeURIComponent(workload.queries[index]!)}`, analystToken);
  }

  const list: Timed[] = [];
  let after: string | undefined;
  for (let index = 0; index < requestCount; index += 1) {
    let url: string;
    if (index % 3 === 0) url = `${items}?limit=50&site_id=${workload.siteIds[index % workload.siteIds.length]!}`;
    else if (index % 3 === 1) url = `${items}?limit=50&category=${categories[index % categories.length]!}`;
    else url = `${items}?limit=50${after === undefined ? '' : `&after=${after}`}`;
    const started = performance.now();
    const response = await fetch(url, { headers: { authorization: `Bearer ${analystToken}` } });
    const body = (await response.json()) as { next_after?: string | null };
    list.push({ ms: performance.now() - started, status: response.status });
    if (index % 3 === 2) after = body.next_after ?? undefined;
  }
  log(
    `  list: p50 ${percentile(
      list.map((s) => s.ms),
      0.5,
    ).toFixed(1)} ms, p95 ${percentile(
      list.map((s) => s.ms),
      0.95,
    ).toFixed(1)} ms`,
  );

  const search: Timed[] = [];
  for (let index = 0; index < requestCount; index += 1) {
    const query = workload.queries[(index + 10) % workload.queries.length]!;
    search.push(await timedGet(`${markings}?limit=10&q=${encodeURIComponent(query)}`, analystToken));
  }
  log(
    `  search: p50 ${percentile(
      search.map((s) => s.ms),
      0.5,
    ).toFixed(1)} ms, p95 ${percentile(
      search.map((s) => s.ms),
      0.95,
    ).toFixed(1)} ms`,
  );

  // Busy: clients search in a loop; the second user's light requests measure what everyone else waits.
  let stop = false;
  let busySearches = 0;
  const searchers = Array.from({ length: clientCount }, async (_, client) => {
    let index = client * 37;
    while (!stop) {
      const query = workload.queries[index % workload.queries.length]!;
      index += 1;
      await timedGet(`${markings}?limit=10&q=${encodeURIComponent(query)}`, analystToken);
      busySearches += 1;
    }
  });
  const light: Timed[] = [];
  const deadline = performance.now() + busySeconds * 1000;
  while (performance.now() < deadline) {
    light.push(await timedGet(`${baseUrl}/api/v1/auth/me`, workload.secondToken));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop = true;
  await Promise.all(searchers);
  log(
    `  busy: second user's GET /auth/me p50 ${percentile(
      light.map((s) => s.ms),
      0.5,
    ).toFixed(1)} ms, p95 ${percentile(
      light.map((s) => s.ms),
      0.95,
    ).toFixed(1)} ms (${light.length} requests; ${busySearches} searches by ${clientCount} clients)`,
  );
  return { list: figures(list), search: figures(search), busy: figures(light), busySearches };
}

/** Removes every planner statistic of armtrace's tables: the state an import left before imports analysed. */
async function forgetStatistics(dataDir: string): Promise<void> {
  const database = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await sql`DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)`.execute(
      database.db,
    );
    await sql`UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`.execute(
      database.db,
    );
  } finally {
    await database.close();
  }
}

/** What the import step leaves: the investigation, the two users' tokens, and how long the import took. */
interface Prepared {
  markingCount: number;
  seed: string;
  investigationId: string;
  analystToken: string;
  secondToken: string;
  importSeconds: number;
}

/** `armtrace init`, two users with tokens, an investigation, and `armtrace import items` of the CSV. */
function importInto(dataDir: string, csvFile: string): Prepared {
  cli(dataDir, ['init']);
  cli(dataDir, ['user', 'add', 'analyst', '--password', password]);
  cli(dataDir, ['user', 'add', 'second', '--password', password]);
  const investigation = JSON.parse(
    cli(dataDir, ['--as', 'analyst', 'investigation', 'add', '--title', 'Load benchmark', '--json']),
  ) as { id: string };
  const token = (user: string) =>
    (
      JSON.parse(cli(dataDir, ['--as', user, 'token', 'create', '--name', 'load benchmark', '--json'])) as {
        token: string;
      }
    ).token;
  const analystToken = token('analyst');
  const secondToken = token('second');

  log('armtrace import items (a CLI process of its own)');
  const importStarted = performance.now();
  cli(dataDir, ['--as', 'analyst', 'import', 'items', csvFile, '--investigation', investigation.id]);
  const importSeconds = (performance.now() - importStarted) / 1000;
  log(`  ${importSeconds.toFixed(1)} s`);
  return {
    markingCount,
    seed: options.seed,
    investigationId: investigation.id,
    analystToken,
    secondToken,
    importSeconds,
  };
}

async function main(): Promise<void> {
  const loadBefore = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bench-load-'));
  const dataDir = path.join(directory, 'data');
  try {
    log(`generating ${markingCount} markings`);
    const dataset = generateDataset(markingCount, Number(options.seed));
    const queries = generateQueries(dataset, 300).map((query) => query.query);
    const itemTotal = dataset.items.length;
    log(`${itemTotal} items at ${dataset.sites.length} sites`);
    const snapshot = options.snapshot === undefined ? undefined : path.resolve(options.snapshot);
    const snapshotMeta = snapshot === undefined ? undefined : path.join(snapshot, 'bench-load.json');
    let prepared: Prepared;
    if (snapshotMeta !== undefined && fs.existsSync(snapshotMeta)) {
      prepared = JSON.parse(fs.readFileSync(snapshotMeta, 'utf8')) as Prepared;
      if (prepared.markingCount !== markingCount || prepared.seed !== options.seed) {
        throw new Error(
          `${snapshot} holds ${prepared.markingCount} markings (seed ${prepared.seed}): use those options`,
        );
      }
      log(`copying the data directory kept right after the import (${snapshot})`);
      fs.cpSync(path.join(snapshot!, 'data'), dataDir, { recursive: true });
    } else {
      const csvFile = path.join(directory, 'items.csv');
      fs.writeFileSync(csvFile, Array.from(datasetCsvLines(dataset)).join(''));
      prepared = importInto(dataDir, csvFile);
      fs.rmSync(csvFile);
      if (snapshot !== undefined) {
        log(`keeping the data directory as the import left it in ${snapshot}`);
        fs.mkdirSync(snapshot, { recursive: true });
        fs.cpSync(dataDir, path.join(snapshot, 'data'), { recursive: true });
        fs.writeFileSync(snapshotMeta!, JSON.stringify(prepared, null, 2));
      }
    }
    const { analystToken, secondToken, importSeconds } = prepared;
    const investigation = { id: prepared.investigationId };

    const database = await openDatabase({ kind: 'pglite', dataDir });
    const siteIds = (
      await database.db
        .selectFrom('sites')
        .select('id')
        .where('investigation_id', '=', investigation.id)
        .limit(200)
        .execute()
    ).map((row) => row.id);
    await database.close();

    const port = 18000 + Math.floor(Math.random() * 2000);
    const workload = {
      baseUrl: `http://127.0.0.1:${port}`,
      investigationId: investigation.id,
      analystToken,
      secondToken,
      siteIds,
      queries,
    };

    log('armtrace serve, right after the import');
    let server = await startServer([cliPath, 'serve', '--no-example'], dataDir, port);
    const armtrace = await measure(workload);
    await stopServer(server);

    let baseline = armtrace;
    if (!options['no-baseline']) {
      log('baseline: the same data without planner statistics, served without table maintenance');
      await forgetStatistics(dataDir);
      server = await startServer(
        ['--import', 'tsx', path.join(import.meta.dirname, 'serve-without-maintenance.ts')],
        dataDir,
        port,
      );
      baseline = await measure(workload);
      await stopServer(server);
    }

    const loadAfter = os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ');
    const row = (name: string, target: string, ours: PhaseFigures, theirs: PhaseFigures) =>
      options['no-baseline']
        ? `| ${name} | ${target} | ${ours.p50.toFixed(1)} / **${ours.p95.toFixed(1)}** | not measured | |`
        : `| ${name} | ${target} | ${ours.p50.toFixed(1)} / **${ours.p95.toFixed(1)}** | ${theirs.p50.toFixed(1)} / ${theirs.p95.toFixed(1)} | ${(theirs.p95 / ours.p95).toFixed(1)} |`;
    const failures = armtrace.list.failed + armtrace.search.failed + armtrace.busy.failed;
    process.stdout.write(
      [
        '',
        `PGlite, ${itemTotal} items (${markingCount} markings) imported by the CLI in ${importSeconds.toFixed(1)} s; load average ${loadBefore} before, ${loadAfter} after`,
        '',
        '| Measure | Target p95 | armtrace p50 / p95 ms | before (no statistics) p50 / p95 ms | p95 ratio |',
        '|---|---|---|---|---|',
        row(`items list, 1 client (${requestCount})`, '≤ 50 ms', armtrace.list, baseline.list),
        row(`marking search, 1 client (${requestCount})`, '≤ 100 ms', armtrace.search, baseline.search),
        row(
          `second user's GET /auth/me while ${clientCount} clients search (${busySeconds} s)`,
          '≤ 1000 ms',
          armtrace.busy,
          baseline.busy,
        ),
        '',
        `Searches completed by the ${clientCount} clients in ${busySeconds} s: armtrace ${armtrace.busySearches}, before ${options['no-baseline'] ? 'not measured' : baseline.busySearches}.`,
        failures > 0 ? `FAILED requests (status not 200): ${failures}` : 'Every request answered 200.',
        '',
      ].join('\n'),
    );
    if (options.out !== undefined) {
      fs.writeFileSync(
        options.out,
        JSON.stringify({ markingCount, itemTotal, importSeconds, loadBefore, loadAfter, armtrace, baseline }, null, 2),
      );
    }
    if (failures > 0) process.exitCode = 1;
  } finally {
    if (options.keep) log(`data directory kept: ${dataDir}`);
    else fs.rmSync(directory, { recursive: true, force: true });
  }
}

await main();
