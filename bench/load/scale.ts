/**
 * Scale benchmark of the PostgreSQL deployment (issue 16, item 5): one PostgreSQL database filled the way a
 * deployment fills it (`armtrace import items`, a CLI process of its own, which loads through COPY), then
 * `armtrace serve` processes sharing that database and one evidence folder behind HAProxy (Debian `haproxy`,
 * loopback, configuration written here), and simulated users through the load balancer, first with 2 servers,
 * then with 1. Each user is a closed loop (the next request when the last one answered, no think time) mixing:
 *
 * - reads: the items list (by site, by category, next pages), an item page, marking search in the investigation,
 *   seen elsewhere for a marking;
 * - writes: an item with 1–3 markings (one POST, one transaction), a photo of 2–5 MB uploaded to the item through
 *   the route the web app uses (`POST /investigations/{id}/media`, multipart).
 *
 * Printed: throughput, p50/p95/p99 per route, errors, the ratio 2 servers / 1 server, the load average, and the
 * CPU time each part took during each phase (servers, the database's backends, HAProxy, this load generator, the
 * rest of the machine), from /proc.
 *
 *   npm run bench:scale -- --items 20000 --minutes 0.5 --users 20          # a quick run, everything in one go
 *   npm run bench:scale -- --items 1000000 --fill-only --state /tmp/scale  # fill once, keep it (≈ 2M markings)
 *   npm run bench:scale -- --reuse /tmp/scale --minutes 5 --users 50       # measure on the kept data
 *   npm run bench:scale -- --reuse /tmp/scale --drop                       # remove the database and folder
 *
 * PostgreSQL is the server in DATABASE_URL (default the shared test server postgres://postgres@127.0.0.1:55432);
 * the benchmark creates its own database there and drops it at the end unless the state is kept.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import sharp from 'sharp';
import { photoPixels } from '../../src/testing/media.js';
import { datasetCsvLines, generateDataset, generateQueries, type SyntheticDataset } from '../markings/generate.js';

const { values: options } = parseArgs({
  options: {
    items: { type: 'string', default: '20000' },
    minutes: { type: 'string', default: '0.5' },
    users: { type: 'string', default: '20' },
    // A user's pause after each answer, drawn evenly from half to one and a half times this (0: back to back, the
    // closed loop that measures capacity; a person reading a page or typing the next marking pauses seconds).
    'think-seconds': { type: 'string', default: '0' },
    servers: { type: 'string', default: '2,1' },
    seed: { type: 'string', default: '20240601' },
    state: { type: 'string' },
    'fill-only': { type: 'boolean', default: false },
    reuse: { type: 'string' },
    drop: { type: 'boolean', default: false },
    // Make the photos (kept in the system's temporary folder, reused by later runs) and stop.
    'photos-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cliPath = path.join(repoRoot, 'bin/armtrace.mjs');
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres';
const password = 'scale benchmark password';
const clockTicks = 100; // USER_HZ on Linux
const thinkSeconds = Number(options['think-seconds']);

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Every server and HAProxy started, stopped if this process is told to stop (a time limit, ^C). */
const children = new Set<ChildProcess>();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(130);
  });
}

function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** What a later run needs to measure on data filled before. */
interface State {
  directory: string;
  databaseName: string;
  investigationId: string;
  token: string;
  fill: { items: number; markings: number; sites: number; csvRows: number; importSeconds: number; load: string };
  queries: string[];
}

function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function armtraceEnv(state: Pick<State, 'directory' | 'databaseName'>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ARMTRACE_DATA: path.join(state.directory, 'data'),
    DATABASE_URL: databaseUrl(state.databaseName),
    ARMTRACE_LOG_LEVEL: 'warn',
    ARMTRACE_INSTANCE_NAME: 'scale-benchmark',
  };
}

function cli(state: Pick<State, 'directory' | 'databaseName'>, args: string[]): string {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    env: armtraceEnv(state),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`armtrace ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * The generator's data reshaped to the proportions: `itemCount` items with 2 markings each on average
 * (at most 2 on even items, 3 on odd ones) at itemCount / 50 sites.
 */
function scaledDataset(itemCount: number, seed: number): SyntheticDataset {
  const generated = generateDataset(Math.ceil(itemCount * 2.7), seed);
  const siteCount = Math.max(3, Math.round(itemCount / 50));
  const items = generated.items.slice(0, itemCount).map((item, index) => ({
    ...item,
    siteIndex: item.siteIndex % siteCount,
    markings: item.markings.slice(0, index % 2 === 0 ? 2 : 3),
  }));
  if (items.length < itemCount) throw new Error(`the generator gave ${items.length} items, fewer than ${itemCount}`);
  return {
    sites: generated.sites.slice(0, siteCount),
    items,
    markingCount: items.reduce((sum, item) => sum + item.markings.length, 0),
  };
}

async function fill(itemCount: number, directory: string): Promise<State> {
  const databaseName = `armtrace_scale_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  await admin.end();
  const base = { directory, databaseName };
  log(`database ${databaseName}, folder ${directory}`);

  log(`generating ${itemCount} items`);
  const dataset = scaledDataset(itemCount, Number(options.seed));
  const queries = generateQueries(dataset, 400).map((query) => query.query);
  const csvFile = path.join(directory, 'items.csv');
  const descriptor = fs.openSync(csvFile, 'w');
  let chunk = '';
  let csvRows = -1;
  for (const line of datasetCsvLines(dataset)) {
    chunk += line;
    csvRows += 1;
    if (chunk.length > 1 << 20) {
      fs.writeSync(descriptor, chunk);
      chunk = '';
    }
  }
  fs.writeSync(descriptor, chunk);
  fs.closeSync(descriptor);
  log(
    `${dataset.items.length} items, ${dataset.markingCount} markings, ${dataset.sites.length} sites; CSV ${Math.round(fs.statSync(csvFile).size / 1e6)} MB`,
  );

  cli(base, ['init']);
  cli(base, ['user', 'add', 'analyst', '--password', password]);
  const investigation = JSON.parse(
    cli(base, ['--as', 'analyst', 'investigation', 'add', '--title', 'Scale benchmark', '--json']),
  ) as { id: string };
  const token = (
    JSON.parse(cli(base, ['--as', 'analyst', 'token', 'create', '--name', 'scale benchmark', '--json'])) as {
      token: string;
    }
  ).token;

  const loadBefore = loadAverage();
  log(`armtrace import items (a CLI process of its own; load average ${loadBefore})`);
  const started = performance.now();
  cli(base, ['--as', 'analyst', 'import', 'items', csvFile, '--investigation', investigation.id]);
  const importSeconds = (performance.now() - started) / 1000;
  const load = `${loadBefore} before, ${loadAverage()} after`;
  log(`  ${importSeconds.toFixed(1)} s (load average ${load})`);
  fs.rmSync(csvFile);

  const client = new pg.Client({ connectionString: databaseUrl(databaseName) });
  await client.connect();
  const count = async (table: string) =>
    Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  const fillFigures = {
    items: await count('items'),
    markings: await count('markings'),
    sites: await count('sites'),
    csvRows,
    importSeconds,
    load,
  };
  await client.end();
  const state: State = { ...base, investigationId: investigation.id, token, fill: fillFigures, queries };
  fs.writeFileSync(path.join(directory, 'state.json'), JSON.stringify(state, null, 2));
  return state;
}

async function drop(state: State): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${state.databaseName} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(state.directory, { recursive: true, force: true });
}

/** What the users pick from, sampled from the database once. */
interface Samples {
  siteIds: string[];
  itemIds: string[];
  markingTexts: string[];
}

async function sample(state: State): Promise<Samples> {
  const client = new pg.Client({ connectionString: databaseUrl(state.databaseName) });
  await client.connect();
  try {
    const column = async (text: string) => (await client.query<{ value: string }>(text)).rows.map((row) => row.value);
    return {
      siteIds: await column(`SELECT id AS value FROM sites ORDER BY random() LIMIT 500`),
      itemIds: await column(`SELECT id AS value FROM items ORDER BY random() LIMIT 3000`),
      markingTexts: await column(`SELECT text AS value FROM markings ORDER BY random() LIMIT 1000`),
    };
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for `url` to answer 200; when `server` (the process behind it) exits first, fails at once with its log. */
async function waitForHttp(url: string, seconds: number, server?: { child: ChildProcess; log: string }): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  for (;;) {
    if (server !== undefined && server.child.exitCode !== null) {
      const log = fs.existsSync(server.log) ? fs.readFileSync(server.log, 'utf8').slice(-2000) : '';
      throw new Error(`the server for ${url} exited with ${server.child.exitCode} before answering:\n${log}`);
    }
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`${url} did not answer within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** user + system CPU seconds of a process so far (0 once it is gone). */
function processCpu(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine so far (every core). */
function machineCpu(): number {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3]! + fields[4]!;
  return (fields.slice(0, 8).reduce((sum, value) => sum + value, 0) - idle) / clockTicks;
}

/** A photo of 2–5 MB: random detail over soft blobs, as a high-quality JPEG; made once, made unique per upload. */
async function makeLargePhoto(seed: number, width: number, height: number, noise: number): Promise<Buffer> {
  const pixels = photoPixels(seed, width, height);
  let state = seed * 2654435761;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[index] = Math.max(0, Math.min(255, pixels[index]! + ((state >>> 16) % (noise + 1)) - noise / 2));
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** The four photos of 2.4–4.5 MB, made once and kept in the system's temporary folder. */
async function photos(): Promise<Buffer[]> {
  const folder = path.join(os.tmpdir(), 'armtrace-bench-scale-photos');
  fs.mkdirSync(folder, { recursive: true });
  const shapes = [
    [2400, 1800, 45],
    [2400, 1800, 120],
    [2800, 2100, 100],
    [2900, 2150, 110],
  ] as const;
  const made: Buffer[] = [];
  for (const [index, [width, height, noise]] of shapes.entries()) {
    const file = path.join(folder, `photo-${index + 1}.jpg`);
    if (!fs.existsSync(file)) {
      fs.writeFileSync(`${file}.partial`, await makeLargePhoto(index + 1, width, height, noise));
      fs.renameSync(`${file}.partial`, file);
    }
    made.push(fs.readFileSync(file));
  }
  return made;
}

/** The same JPEG with a comment segment after SOI naming the upload: another file, another SHA-256. */
function uniqueCopy(photo: Buffer, label: string): Buffer {
  const comment = Buffer.from(label);
  const header = Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]);
  return Buffer.concat([photo.subarray(0, 2), header, comment, photo.subarray(2)]);
}

type Route = 'items list' | 'item page' | 'marking search' | 'seen elsewhere' | 'item + markings' | 'photo upload';
const routes: readonly Route[] = [
  'items list',
  'item page',
  'marking search',
  'seen elsewhere',
  'item + markings',
  'photo upload',
];
/** Per 100 requests. */
const mix: Record<Route, number> = {
  'items list': 25,
  'item page': 25,
  'marking search': 20,
  'seen elsewhere': 15,
  'item + markings': 12,
  'photo upload': 3,
};

interface RouteFigures {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

interface PhaseResult {
  servers: number;
  users: number;
  seconds: number;
  requests: number;
  errors: number;
  throughput: number;
  uploadedMegabytes: number;
  routes: Record<string, RouteFigures>;
  errorSamples: string[];
  cpu: { servers: number; database: number; haproxy: number; loadGenerator: number; machine: number };
  load: string;
}

const categories = ['small_arm', 'cartridges', 'mortar_bomb', 'rocket', 'fuze', 'packaging'];
const kinds = ['serial', 'lot', 'factory_code', 'headstamp', 'stock_number'];

async function runPhase(
  state: State,
  samples: Samples,
  photos: Buffer[],
  serverCount: number,
  users: number,
  seconds: number,
): Promise<PhaseResult> {
  const env = armtraceEnv(state);
  const servers: { child: ChildProcess; port: number; log: string }[] = [];
  let haproxy: ChildProcess | undefined;
  const work = fs.mkdtempSync(path.join(state.directory, `phase-${serverCount}-`));
  try {
    for (let index = 0; index < serverCount; index += 1) {
      const port = await freePort();
      const log = path.join(work, `serve-${port}.log`);
      const child = spawn(process.execPath, [cliPath, 'serve', '--port', String(port), '--no-example'], {
        env,
        stdio: ['ignore', 'ignore', fs.openSync(log, 'w')],
      });
      children.add(child);
      servers.push({ child, port, log });
    }
    // Generous: on a machine with a load average of 35, two servers compiling their sources (tsx) took over 120 s.
    for (const server of servers) {
      await waitForHttp(`http://127.0.0.1:${server.port}/api/v1/health`, 600, server);
    }
    const proxyPort = await freePort();
    const config = [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 120s',
      '  timeout server 120s',
      'frontend armtrace',
      `  bind 127.0.0.1:${proxyPort}`,
      '  default_backend servers',
      'backend servers',
      '  balance leastconn',
      // The light health route, with a patient timeout: under 50 users a server answers slowly but is not down.
      '  option httpchk GET /api/v1/health',
      '  http-check expect status 200',
      '  timeout check 10s',
      ...servers.map((server, index) => `  server serve${index + 1} 127.0.0.1:${server.port} check inter 2s fall 3`),
      '',
    ].join('\n');
    fs.writeFileSync(path.join(work, 'haproxy.cfg'), config);
    haproxy = spawn('haproxy', ['-f', path.join(work, 'haproxy.cfg'), '-db'], {
      stdio: ['ignore', 'ignore', fs.openSync(path.join(work, 'haproxy.log'), 'w')],
    });
    children.add(haproxy);
    const base = `http://127.0.0.1:${proxyPort}`;
    await waitForHttp(`${base}/api/v1/health`, 30);
    log(`${serverCount} server(s) behind HAProxy on ${base}; ${users} users for ${seconds} s, think ${thinkSeconds} s`);

    const api = `${base}/api/v1`;
    const headers = { authorization: `Bearer ${state.token}` };
    const investigation = `${api}/investigations/${state.investigationId}`;
    const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;
    // Warm-up: each server's first requests (connections, caches), not counted.
    for (let index = 0; index < 20; index += 1) {
      await (await fetch(`${investigation}/items?limit=50`, { headers })).arrayBuffer();
      await (
        await fetch(`${investigation}/markings?limit=10&q=${encodeURIComponent(state.queries[index]!)}`, { headers })
      ).arrayBuffer();
    }

    const samplesByRoute = new Map<Route, number[]>(routes.map((route) => [route, []]));
    const errorsByRoute = new Map<Route, number>(routes.map((route) => [route, 0]));
    const errorSamples: string[] = [];
    const createdItems: string[] = [];
    let uploadedBytes = 0;
    let uploads = 0;

    const pidsOfDatabase = async (): Promise<number[]> => {
      const client = new pg.Client({ connectionString: databaseUrl(state.databaseName) });
      await client.connect();
      const rows = (
        await client.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [state.databaseName],
        )
      ).rows;
      await client.end();
      return rows.map((row) => row.pid);
    };
    const databasePidsBefore = await pidsOfDatabase();
    const databaseCpuBefore = new Map(databasePidsBefore.map((pid) => [pid, processCpu(pid)]));
    const cpuBefore = {
      servers: servers.reduce((sum, server) => sum + processCpu(server.child.pid!), 0),
      haproxy: processCpu(haproxy.pid!),
      loadGenerator: process.cpuUsage(),
      machine: machineCpu(),
    };
    const loadBefore = loadAverage();

    const started = performance.now();
    const deadline = started + seconds * 1000;
    const one = async (random: () => number): Promise<void> => {
      let roll = random() * 100;
      let route: Route = routes[0]!;
      for (const candidate of routes) {
        roll -= mix[candidate];
        if (roll < 0) {
          route = candidate;
          break;
        }
      }
      let url: string;
      let init: RequestInit = { headers };
      switch (route) {
        case 'items list': {
          const variant = random();
          url =
            variant < 0.4
              ? `${investigation}/items?limit=50&site_id=${pick(samples.siteIds, random)}`
              : variant < 0.7
                ? `${investigation}/items?limit=50&category=${pick(categories, random)}`
                : `${investigation}/items?limit=50`;
          break;
        }
        case 'item page':
          url = `${api}/items/${pick(createdItems.length > 0 && random() < 0.2 ? createdItems : samples.itemIds, random)}`;
          break;
        case 'marking search':
          url = `${investigation}/markings?limit=10&q=${encodeURIComponent(pick(state.queries, random))}`;
          break;
        case 'seen elsewhere':
          url = `${api}/markings/seen-elsewhere?limit=10&text=${encodeURIComponent(pick(samples.markingTexts, random))}`;
          break;
        case 'item + markings': {
          const count = 1 + Math.floor(random() * 3);
          url = `${investigation}/items`;
          init = {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({
              site_id: pick(samples.siteIds, random),
              category: pick(['small_arm', 'cartridges', 'mortar_bomb'], random),
              model: 'AK-type',
              quantity: 1,
              markings: Array.from({ length: count }, (_, index) => ({
                kind: kinds[index % kinds.length],
                text: `${pick(['KN', 'AB', 'ЗВ', 'МЕ'], random)} ${Math.floor(random() * 1e7)}`,
              })),
            }),
          };
          break;
        }
        case 'photo upload': {
          const photo = uniqueCopy(pick(photos, random), `scale benchmark upload ${uploads++} ${random()}`);
          const form = new FormData();
          form.append('item_id', pick(createdItems.length > 0 ? createdItems : samples.itemIds, random));
          form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'photo.jpg');
          url = `${investigation}/media`;
          init = { method: 'POST', headers, body: form };
          uploadedBytes += photo.length;
          break;
        }
      }
      const requestStarted = performance.now();
      try {
        const response = await fetch(url, init);
        const body = await response.text();
        const elapsed = performance.now() - requestStarted;
        if (response.status >= 400) {
          errorsByRoute.set(route, errorsByRoute.get(route)! + 1);
          if (errorSamples.length < 10) errorSamples.push(`${route}: ${response.status} ${body.slice(0, 200)}`);
        } else {
          samplesByRoute.get(route)!.push(elapsed);
          if (route === 'item + markings') createdItems.push((JSON.parse(body) as { id: string }).id);
        }
      } catch (error) {
        errorsByRoute.set(route, errorsByRoute.get(route)! + 1);
        if (errorSamples.length < 10) errorSamples.push(`${route}: ${(error as Error).message}`);
      }
    };
    await Promise.all(
      Array.from({ length: users }, async (_, user) => {
        let state32 = (user + 1) * 2654435761;
        const random = () => {
          state32 ^= state32 << 13;
          state32 ^= state32 >>> 17;
          state32 ^= state32 << 5;
          return (state32 >>> 0) / 0x1_0000_0000;
        };
        while (performance.now() < deadline) {
          await one(random);
          if (thinkSeconds > 0) await sleep(thinkSeconds * 1000 * (0.5 + random()));
        }
      }),
    );
    const elapsedSeconds = (performance.now() - started) / 1000;
    const databasePidsAfter = await pidsOfDatabase();
    const loadGenerator = process.cpuUsage(cpuBefore.loadGenerator);
    const cpu = {
      servers: servers.reduce((sum, server) => sum + processCpu(server.child.pid!), 0) - cpuBefore.servers,
      // A backend that ended during the phase (a pooled connection closed when idle) is gone from /proc with the
      // CPU it used: its time is not counted, so this is a lower bound when connections came and went.
      database: [...new Set([...databasePidsBefore, ...databasePidsAfter])].reduce((sum, pid) => {
        const after = processCpu(pid);
        return after === 0 ? sum : sum + after - (databaseCpuBefore.get(pid) ?? 0);
      }, 0),
      haproxy: processCpu(haproxy.pid!) - cpuBefore.haproxy,
      loadGenerator: (loadGenerator.user + loadGenerator.system) / 1e6,
      machine: machineCpu() - cpuBefore.machine,
    };
    const load = `${loadBefore} before, ${loadAverage()} after`;

    const routeFigures: Record<string, RouteFigures> = {};
    let requests = 0;
    let errors = 0;
    for (const route of routes) {
      const sorted = [...samplesByRoute.get(route)!].sort((a, b) => a - b);
      const routeErrors = errorsByRoute.get(route)!;
      routeFigures[route] = {
        requests: sorted.length + routeErrors,
        errors: routeErrors,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
      };
      requests += sorted.length + routeErrors;
      errors += routeErrors;
    }
    const logged = servers
      .map((server) => fs.readFileSync(path.join(work, `serve-${server.port}.log`), 'utf8'))
      .join('')
      .split('\n')
      .filter((line) => line.includes('"level":50'));
    if (logged.length > 0) errorSamples.push(...logged.slice(0, 3).map((line) => `server log: ${line.slice(0, 300)}`));
    return {
      servers: serverCount,
      users,
      seconds: elapsedSeconds,
      requests,
      errors,
      throughput: requests / elapsedSeconds,
      uploadedMegabytes: uploadedBytes / 1e6,
      routes: routeFigures,
      errorSamples,
      cpu,
      load,
    };
  } finally {
    if (haproxy !== undefined) await stop(haproxy);
    for (const server of servers) await stop(server.child);
  }
}

function report(state: State, phases: PhaseResult[]): string {
  const lines: string[] = [];
  const fillFigures = state.fill;
  lines.push(
    '',
    `PostgreSQL (${serverUrl.replace(/\/[^/]*$/, '')}), ${fillFigures.items} items, ${fillFigures.markings} markings, ${fillFigures.sites} sites before the run; ` +
      `filled by \`armtrace import items\` (${fillFigures.csvRows} CSV rows) in ${fillFigures.importSeconds.toFixed(1)} s (load average ${fillFigures.load}); ` +
      `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`,
    '',
  );
  const header = ['Route'];
  const rule = ['---'];
  for (const phase of phases) {
    header.push(`${phase.servers} server(s): requests`, 'errors', 'p50 / p95 / p99 ms');
    rule.push('---:', '---:', '---:');
  }
  lines.push(`| ${header.join(' | ')} |`, `| ${rule.join(' | ')} |`);
  for (const route of routes) {
    const cells: string[] = [route];
    for (const phase of phases) {
      const figures = phase.routes[route]!;
      cells.push(
        String(figures.requests),
        String(figures.errors),
        `${figures.p50.toFixed(1)} / ${figures.p95.toFixed(1)} / ${figures.p99.toFixed(1)}`,
      );
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const phase of phases) {
    const cpu = phase.cpu;
    const others = cpu.machine - cpu.servers - cpu.database - cpu.haproxy - cpu.loadGenerator;
    lines.push(
      `${phase.servers} server(s), ${phase.users} users (think ${thinkSeconds} s), ${phase.seconds.toFixed(0)} s: ${phase.requests} requests, ` +
        `${phase.throughput.toFixed(1)} requests/s, ${phase.errors} errors, ${phase.uploadedMegabytes.toFixed(0)} MB uploaded; load average ${phase.load}`,
      `  CPU seconds (of ${(phase.seconds * os.cpus().length).toFixed(0)} available): servers ${cpu.servers.toFixed(1)}, ` +
        `database backends ${cpu.database.toFixed(1)}, HAProxy ${cpu.haproxy.toFixed(1)}, load generator ${cpu.loadGenerator.toFixed(1)}, ` +
        `rest of the machine ${others.toFixed(1)} (machine busy ${cpu.machine.toFixed(1)})`,
    );
    for (const sample of phase.errorSamples) lines.push(`  error: ${sample}`);
  }
  const two = phases.find((phase) => phase.servers === 2);
  const one = phases.find((phase) => phase.servers === 1);
  if (two !== undefined && one !== undefined) {
    lines.push(`Throughput ratio 2 servers / 1 server: ${(two.throughput / one.throughput).toFixed(2)} (target ≥ 1.6)`);
  }
  lines.push('');
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (options['photos-only']) {
    log(`photos: ${(await photos()).map((photo) => (photo.length / 1e6).toFixed(1)).join(', ')} MB`);
    return;
  }
  let state: State;
  if (options.reuse !== undefined) {
    state = JSON.parse(fs.readFileSync(path.join(options.reuse, 'state.json'), 'utf8')) as State;
    if (options.drop) {
      await drop(state);
      log(`dropped ${state.databaseName} and ${state.directory}`);
      return;
    }
  } else {
    const directory = options.state ?? fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bench-scale-'));
    fs.mkdirSync(directory, { recursive: true });
    state = await fill(Number(options.items), directory);
    log(`state kept in ${path.join(directory, 'state.json')}`);
    if (options['fill-only']) {
      process.stdout.write(`${JSON.stringify(state.fill)}\n`);
      return;
    }
  }
  // Checked before any server starts: a missing HAProxy found at the first phase left its servers running.
  if (spawnSync('haproxy', ['-v']).error !== undefined) {
    throw new Error('haproxy is not installed (Debian: apt-get install haproxy)');
  }
  try {
    const samples = await sample(state);
    log('making photos of 2–5 MB');
    const photoFiles = await photos();
    log(`  ${photoFiles.map((photo) => (photo.length / 1e6).toFixed(1)).join(', ')} MB`);
    const phases: PhaseResult[] = [];
    for (const serverCount of options.servers.split(',').map(Number)) {
      phases.push(
        await runPhase(state, samples, photoFiles, serverCount, Number(options.users), Number(options.minutes) * 60),
      );
      log(
        `  ${phases.at(-1)!.throughput.toFixed(1)} requests/s, ${phases.at(-1)!.errors} errors (load average ${loadAverage()})`,
      );
    }
    const text = report(state, phases);
    process.stdout.write(text);
    if (options.out !== undefined)
      fs.writeFileSync(options.out, JSON.stringify({ state: state.fill, phases }, null, 2));
    if (phases.some((phase) => phase.errors > 0)) process.exitCode = 1;
  } finally {
    if (options.reuse === undefined && options.state === undefined) await drop(state);
  }
}

await main();
