/**
 * Offline-sync benchmark: a fresh outbox of 500 items with markings and 50
 * photos (about 200 MB of generated JPEG and PNG noise, which does not
 * compress) is sent through `POST /api/v1/sync` and tus resumable uploads,
 * and the same records and bytes are sent the plain way (one item POST each,
 * multipart uploads), against a server started in-process on loopback. Each
 * contender gets a fresh server (its own database and media store, so the
 * content-addressed store does not deduplicate one contender's bytes against
 * the other's); the order alternates between rounds.
 *
 *   npm run bench:sync                                 # 3 rounds, PGlite under the system temp folder
 *   npm run bench:sync -- --rounds 5 --items 500 --photos 50 --photo-mb 4
 *   DATABASE_URL=postgres://… npm run bench:sync       # each server on a new PostgreSQL database
 *
 * Exits 1 if the median ratio (sync rate / plain rate) is below 0.8.
 */
import { createHash, randomBytes, randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createUser, findUserByUsername, actorFor, systemActor } from '../../src/features/users/service.js';
import { buildApp } from '../../src/http/app.js';

const MB = 1_000_000;

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    items: { type: 'string', default: '500' },
    markings: { type: 'string', default: '3' },
    photos: { type: 'string', default: '50' },
    'photo-mb': { type: 'string', default: '4' },
    dir: { type: 'string', default: os.tmpdir() },
  },
});
const rounds = Number(values.rounds);
const itemCount = Number(values.items);
const markingsPerItem = Number(values.markings);
const photoCount = Number(values.photos);
const photoBytes = Number(values['photo-mb']) * MB;
const password = 'benchmark password 1';

interface Photo {
  bytes: Buffer;
  sha256: string;
  filename: string;
  contentType: string;
}

/** Random-noise pictures near the wanted size: JPEG at high quality, every fifth a PNG; sniffed as images. */
async function makePhotos(): Promise<Photo[]> {
  const photos: Photo[] = [];
  for (let index = 0; index < photoCount; index += 1) {
    const png = index % 5 === 4;
    // Noise costs about 3 bytes a pixel in PNG and about 1.9 in a quality-95 JPEG.
    const pixels = Math.round(photoBytes / (png ? 3 : 1.9));
    const width = Math.round(Math.sqrt((pixels * 4) / 3));
    const height = Math.round(pixels / width);
    const raw = randomFillSync(Buffer.alloc(width * height * 3));
    const image = sharp(raw, { raw: { width, height, channels: 3 } });
    const bytes = png
      ? await image.png({ compressionLevel: 1 }).toBuffer()
      : await image.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    photos.push({
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      filename: `IMG_${String(index).padStart(4, '0')}.${png ? 'PNG' : 'JPG'}`,
      contentType: png ? 'image/png' : 'image/jpeg',
    });
  }
  return photos;
}

const categories = ['small_arm', 'cartridges', 'mortar_bomb', 'rocket', 'fuze', 'launcher', 'other'] as const;
const kinds = ['serial', 'lot', 'factory_code', 'year', 'model'] as const;

function itemBody(index: number, siteId: string): Record<string, unknown> {
  return {
    site_id: siteId,
    category: categories[index % categories.length],
    quantity: 1 + (index % 7),
    model: `Model ${index % 40}`,
    observations: `Recovered in the north room, shelf ${index % 12}; markings read under torch light.`,
    tags: ['bench', `batch-${index % 10}`],
    markings: Array.from({ length: markingsPerItem }, (_, marking) => ({
      text: `${String.fromCharCode(65 + ((index + marking) % 26))}-${(index * 7919 + marking * 104_729) % 1_000_000}`,
      kind: kinds[(index + marking) % kinds.length],
    })),
  };
}

interface Server {
  base: string;
  cookie: string;
  investigationId: string;
  close(): Promise<void>;
}

/** A fresh armtrace on loopback: its own database (PGlite in a folder, or a new PostgreSQL database) and store. */
async function startServer(): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(values.dir, 'armtrace-bench-sync-'));
  const serverUrl = process.env.DATABASE_URL;
  let database: Database;
  let dropDatabase = async () => {};
  if (serverUrl === undefined || serverUrl === '') {
    database = await openDatabase({ kind: 'pglite', dataDir });
  } else {
    const name = `armtrace_bench_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    database = await openDatabase({ kind: 'postgres', url: url.toString() });
    dropDatabase = async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  await migrate(database);
  await createUser(database.db, systemActor, {
    username: 'bench',
    display_name: 'Bench',
    password,
    is_admin: false,
  });
  const actor = actorFor(await findUserByUsername(database.db, 'bench'), 'api');
  const investigation = await createInvestigation(database.db, actor, { title: 'Sync benchmark' });
  const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
  const app = await buildApp({ db: database.db, config, logger: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const signIn = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'bench', password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${await signIn.text()}`);
  const cookie = signIn.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  return {
    base,
    cookie,
    investigationId: investigation.id,
    async close() {
      await app.close();
      await database.close();
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postJson(server: Server, url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.base}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: server.cookie },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

interface Timing {
  recordsSeconds: number;
  photosSeconds: number;
  totalSeconds: number;
}

/** The plain way: the site, then one POST per item (markings nested), then one multipart upload per photo. */
async function runPlain(server: Server, photos: Photo[]): Promise<Timing> {
  const start = performance.now();
  const site = await postJson(server, `/api/v1/investigations/${server.investigationId}/sites`, {
    site_type: 'cache',
    name: 'Benchmark cache',
  });
  const itemIds: string[] = [];
  for (let index = 0; index < itemCount; index += 1) {
    const item = await postJson(
      server,
      `/api/v1/investigations/${server.investigationId}/items`,
      itemBody(index, site.id as string),
    );
    itemIds.push(item.id as string);
  }
  const recordsDone = performance.now();
  for (const [index, photo] of photos.entries()) {
    const form = new FormData();
    form.append('item_id', itemIds[index % itemIds.length]!);
    form.append('file', new Blob([photo.bytes], { type: photo.contentType }), photo.filename);
    const response = await fetch(`${server.base}/api/v1/investigations/${server.investigationId}/media`, {
      method: 'POST',
      headers: { cookie: server.cookie },
      body: form,
    });
    const body = (await response.json()) as { sha256?: string };
    if (response.status !== 201 || body.sha256 !== photo.sha256) {
      throw new Error(`upload ${photo.filename}: ${response.status} ${JSON.stringify(body)}`);
    }
  }
  const end = performance.now();
  return {
    recordsSeconds: (recordsDone - start) / 1000,
    photosSeconds: (end - recordsDone) / 1000,
    totalSeconds: (end - start) / 1000,
  };
}

interface OutboxOperation {
  op_id: string;
  captured_at: string;
  type: string;
  investigation_id: string;
  record_id: string;
  body: Record<string, unknown>;
}

function withMarkingIds(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, markings: (body.markings as object[]).map((marking) => ({ id: uuidv7(), ...marking })) };
}

/** What a device's outbox holds after capture: operations with client ids, photos with their hashes. */
function buildOutbox(investigationId: string): { operations: OutboxOperation[]; itemIds: string[] } {
  const capturedAt = new Date().toISOString();
  const siteId = uuidv7();
  const operations: OutboxOperation[] = [
    {
      op_id: uuidv7(),
      captured_at: capturedAt,
      type: 'site.create',
      investigation_id: investigationId,
      record_id: siteId,
      body: { site_type: 'cache', name: 'Benchmark cache' },
    },
  ];
  const itemIds: string[] = [];
  for (let index = 0; index < itemCount; index += 1) {
    const itemId = uuidv7();
    itemIds.push(itemId);
    operations.push({
      op_id: uuidv7(),
      captured_at: capturedAt,
      type: 'item.create',
      investigation_id: investigationId,
      record_id: itemId,
      // The device gives every marking its own id too.
      body: withMarkingIds(itemBody(index, siteId)),
    });
  }
  return { operations, itemIds };
}

function tusUpload(server: Server, photo: Photo, metadata: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(photo.bytes, {
      endpoint: `${server.base}/api/v1/uploads/`,
      metadata,
      headers: { cookie: server.cookie },
      retryDelays: [],
      onSuccess: () => resolve(),
      onError: reject,
    });
    upload.start();
  });
}

/** The sync way: batches of at most 500 operations, then one tus upload per photo. */
async function runSync(server: Server, photos: Photo[]): Promise<Timing> {
  const { operations, itemIds } = buildOutbox(server.investigationId);
  const deviceId = uuidv7();
  const start = performance.now();
  for (let offset = 0; offset < operations.length; offset += 500) {
    const response = await postJson(server, '/api/v1/sync', {
      device_id: deviceId,
      device_time: new Date().toISOString(),
      operations: operations.slice(offset, offset + 500),
    });
    const results = response.results as { status: string; problem?: unknown }[];
    const failed = results.find((result) => result.status !== 'created');
    if (failed !== undefined) throw new Error(`sync: ${JSON.stringify(failed)}`);
  }
  const recordsDone = performance.now();
  for (const [index, photo] of photos.entries()) {
    await tusUpload(server, photo, {
      investigation_id: server.investigationId,
      media_id: uuidv7(),
      sha256: photo.sha256,
      filename: photo.filename,
      item_id: itemIds[index % itemIds.length]!,
    });
  }
  const end = performance.now();
  return {
    recordsSeconds: (recordsDone - start) / 1000,
    photosSeconds: (end - recordsDone) / 1000,
    totalSeconds: (end - start) / 1000,
  };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measure(kind: 'plain' | 'sync', photos: Photo[]): Promise<Timing> {
  const server = await startServer();
  try {
    return kind === 'plain' ? await runPlain(server, photos) : await runSync(server, photos);
  } finally {
    await server.close();
  }
}

const fmt = (value: number, digits = 1) => value.toFixed(digits);

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  process.stdout.write(
    `Generating ${photoCount} photos of about ${values['photo-mb']} MB (random noise, JPEG and PNG)…\n`,
  );
  const photos = await makePhotos();
  const totalMb = photos.reduce((sum, photo) => sum + photo.bytes.length, 0) / MB;
  const records = itemCount * (1 + markingsPerItem) + 1;
  process.stdout.write(
    `Outbox: 1 site, ${itemCount} items with ${markingsPerItem} markings each (${records} records), ` +
      `${photoCount} photos, ${fmt(totalMb)} MB; ${rounds} round(s), ` +
      `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, Node ${process.version}, ${os.cpus().length} CPUs, ` +
      `load average ${loadBefore.map((value) => fmt(value, 2)).join(' ')}\n\n`,
  );
  const ratios: number[] = [];
  const plainRates: number[] = [];
  const syncRates: number[] = [];
  const photoRatios: number[] = [];
  const recordRatios: number[] = [];
  process.stdout.write(
    '| round | plain records/s | plain photos MB/s | plain total MB/s | sync records/s | sync photos MB/s | sync total MB/s | ratio |\n' +
      '| ----- | --------------: | ----------------: | ---------------: | -------------: | ---------------: | --------------: | ----: |\n',
  );
  for (let round = 1; round <= rounds; round += 1) {
    const order: ('plain' | 'sync')[] = round % 2 === 1 ? ['plain', 'sync'] : ['sync', 'plain'];
    const timings: Partial<Record<'plain' | 'sync', Timing>> = {};
    for (const kind of order) timings[kind] = await measure(kind, photos);
    const plain = timings.plain!;
    const sync = timings.sync!;
    // Same records and bytes on both sides, so the ratio of rates is the ratio of times.
    const plainRate = totalMb / plain.totalSeconds;
    const syncRate = totalMb / sync.totalSeconds;
    plainRates.push(plainRate);
    syncRates.push(syncRate);
    ratios.push(syncRate / plainRate);
    photoRatios.push(plain.photosSeconds / sync.photosSeconds);
    recordRatios.push(plain.recordsSeconds / sync.recordsSeconds);
    process.stdout.write(
      `| ${round} | ${fmt(records / plain.recordsSeconds, 0)} | ${fmt(totalMb / plain.photosSeconds)} | ${fmt(plainRate)} | ` +
        `${fmt(records / sync.recordsSeconds, 0)} | ${fmt(totalMb / sync.photosSeconds)} | ${fmt(syncRate)} | ${fmt(syncRate / plainRate, 2)} |\n`,
    );
  }
  const ratio = median(ratios);
  const loadAfter = os.loadavg();
  process.stdout.write(
    `\nMedian: plain ${fmt(median(plainRates))} MB/s, sync ${fmt(median(syncRates))} MB/s (records and photos, end to end); ` +
      `sync / plain = ${fmt(ratio, 2)} (target ≥ 0.8); records alone ${fmt(median(recordRatios), 2)}, photos alone ${fmt(median(photoRatios), 2)}\n` +
      `Load average after: ${loadAfter.map((value) => fmt(value, 2)).join(' ')}\n`,
  );
  if (ratio < 0.8) process.exitCode = 1;
}

await main();
