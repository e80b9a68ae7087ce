import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig, type Config } from '../config/config.js';
import type { DB } from '../db/tables.js';
import { buildApp } from '../http/app.js';
import { createInProcessJobQueue } from '../jobs/in-process.js';
import type { JobQueue } from '../jobs/index.js';
import { registerMediaJobs } from '../features/media/derivative-jobs.js';
import type { ApiApp } from '../http/types.js';
import type { TestWorld } from './test-database.js';
import type { Actor } from '../features/access/schema.js';
import { recordChange, type StoredFilesCheck } from '../features/audit/service.js';
import { verifyMediaFiles } from '../features/media/originals.js';
import { createEvidenceStore } from '../storage/create.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { FolderEvidenceStore } from '../storage/folder-store.js';
import { registerFeatureJobs } from '../features/routes.js';

/** A second app on the test world's database, with a fresh data folder for the media store. */
export interface MediaTestApp {
  app: ApiApp;
  config: Config;
  store: EvidenceStore;
  dataDir: string;
  /** `verify`'s check of the store's files, composed as the program composes it. */
  storedFilesCheck: StoredFilesCheck;
  /** The file of a stored original, to read or damage it (folder store only; fails loudly otherwise). */
  originalPath(sha256: string): string;
  /** The app's job queue (in-process, not started: uploads queue their derivatives and they wait). */
  jobs: JobQueue;
  /** Runs the queued jobs (media derivatives) until none waits or runs, then stops the queue again. */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a queue, waits until no job of the database waits or runs (retries included: give the queue a retry
 * delay of 0): the jobs queued so far have ended, succeeded or failed. An in-process queue is stopped again (so
 * the next uploads wait); pg-boss keeps working until the app closes (it is started once per process).
 */
export async function runJobsUntilIdle(db: Kysely<DB>, queue: JobQueue): Promise<void> {
  await queue.start();
  try {
    for (;;) {
      const active = await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<string>().as('count'))
        .where('state', 'in', ['queued', 'running', 'retrying'])
        .executeTakeFirstOrThrow();
      if (Number(active.count) === 0) return;
      await sleep(20);
    }
  } finally {
    if (queue.kind === 'in-process') await queue.stop();
  }
}

export async function createMediaTestApp(
  world: TestWorld,
  env: Record<string, string> = {},
  options: {
    shareStoreWith?: MediaTestApp;
    /** The queue to use (its media jobs registered here), e.g. pg-boss; default: in-process, retried at once. */
    jobs?: (store: EvidenceStore) => JobQueue;
    /** Register every feature's jobs (an import started as a job, a bag…) and start the queue, as `serve` does. */
    startFeatureJobs?: boolean;
  } = {},
): Promise<MediaTestApp> {
  const shared = options.shareStoreWith?.dataDir;
  const dataDir = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-media-'));
  const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent', ...env });
  const store = createEvidenceStore(config);
  const jobs =
    options.jobs?.(store) ??
    createInProcessJobQueue(world.db, store, { pollingIntervalSeconds: 0.05, retryDelaySeconds: 0 });
  if (options.startFeatureJobs === true) {
    registerFeatureJobs(jobs, { config });
    await jobs.start();
  } else {
    registerMediaJobs(jobs, { config });
  }
  const app = await buildApp({ db: world.db, config, store, logger: false, jobs });
  return {
    app,
    config,
    store,
    dataDir,
    jobs,
    runJobs: () => runJobsUntilIdle(world.db, jobs),
    storedFilesCheck: (onProgress) => verifyMediaFiles(world.db, store, onProgress),
    originalPath(sha256: string): string {
      if (!(store instanceof FolderEvidenceStore)) throw new Error(`the ${store.kind} store has no local files`);
      return store.path(sha256);
    },
    async close() {
      await jobs.stop();
      await app.close();
      if (shared === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small deterministic generator, so the same seed always draws the same picture. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

export interface PhotoOptions {
  width?: number;
  height?: number;
  /** EXIF written into the JPEG: capture time ("2017:03:02 10:15:00") and position. */
  exif?: { takenAt?: string; offset?: string; latitude?: number; longitude?: number; make?: string; model?: string };
}

function dms(value: number): string {
  const absolute = Math.abs(value);
  const degrees = Math.floor(absolute);
  const minutes = Math.floor((absolute - degrees) * 60);
  const seconds = Math.round(((absolute - degrees) * 60 - minutes) * 60 * 1000);
  return `${degrees}/1 ${minutes}/1 ${seconds}/1000`;
}

/** Raw RGB pixels of soft coloured blobs: photo-like structure, different for every seed. */
export function photoPixels(seed: number, width: number, height: number): Buffer {
  const next = random(seed);
  const blobs = Array.from({ length: 12 }, () => ({
    x: next() * width,
    y: next() * height,
    radius: (0.08 + next() * 0.3) * Math.min(width, height),
    colour: [next() * 255, next() * 255, next() * 255],
    weight: next() * 2 - 0.6,
  }));
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const colour = [90, 90, 90];
      for (const blob of blobs) {
        const d2 = ((x - blob.x) ** 2 + (y - blob.y) ** 2) / blob.radius ** 2;
        const influence = blob.weight * Math.exp(-d2);
        for (let channel = 0; channel < 3; channel += 1) colour[channel]! += influence * (blob.colour[channel]! - 90);
      }
      const offset = (y * width + x) * 3;
      for (let channel = 0; channel < 3; channel += 1) {
        pixels[offset + channel] = Math.max(0, Math.min(255, Math.round(colour[channel]!)));
      }
    }
  }
  return pixels;
}

/** A JPEG "photo" generated from a seed, optionally with EXIF time, GPS and camera. */
export async function makePhoto(seed: number, options: PhotoOptions = {}): Promise<Buffer> {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  let image = sharp(photoPixels(seed, width, height), { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 });
  const exif = options.exif;
  if (exif !== undefined) {
    const gps: Record<string, string> = {};
    if (exif.latitude !== undefined && exif.longitude !== undefined) {
      gps.GPSLatitudeRef = exif.latitude >= 0 ? 'N' : 'S';
      gps.GPSLatitude = dms(exif.latitude);
      gps.GPSLongitudeRef = exif.longitude >= 0 ? 'E' : 'W';
      gps.GPSLongitude = dms(exif.longitude);
    }
    image = image.withExif({
      IFD0: { Make: exif.make ?? 'Canon', Model: exif.model ?? 'Canon EOS 80D' },
      IFD2: {
        ...(exif.takenAt === undefined ? {} : { DateTimeOriginal: exif.takenAt }),
        ...(exif.offset === undefined ? {} : { OffsetTimeOriginal: exif.offset }),
      },
      IFD3: gps,
    });
  }
  return image.toBuffer();
}

/** A multipart/form-data body for `inject()`, the file last (as browsers send forms). */
export function multipartBody(
  fields: Record<string, string>,
  file?: { filename: string; contentType: string; bytes: Buffer; field?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----armtrace${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file !== undefined) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface SiteSetup {
  latitude?: number;
  longitude?: number;
  recoveredOn?: string;
}

/**
 * A site, an item on it and a marking on the item, written the way the
 * application writes them (row and audit entry in one transaction), without
 * depending on those features' code.
 */
export async function addAuditedMarking(
  world: TestWorld,
  actor: Actor,
  investigationId: string,
  site: SiteSetup = {},
): Promise<{ siteId: string; itemId: string; markingId: string }> {
  return world.db.transaction().execute(async (trx) => {
    const now = new Date();
    const stamp = { created_by: actor.userId, created_at: now, updated_at: now };
    const siteRow = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_type: 'cache',
        name: 'Farm barn',
        names: '{}',
        latitude: site.latitude ?? null,
        longitude: site.longitude ?? null,
        recovered_on: site.recoveredOn ?? null,
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_id: siteRow.id,
        category: 'cartridges',
        quantity: 40,
        production_type: 'factory',
        disposal_status: 'in_place',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const marking = await trx
      .insertInto('markings')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        item_id: item.id,
        text: '7.62 1983',
        normalized: '7621983',
        kind: 'headstamp',
        legibility: 'legible',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const [table, row] of [
      ['sites', siteRow],
      ['items', item],
      ['markings', marking],
    ] as const) {
      await recordChange(trx, actor, {
        action: `${table.slice(0, -1)}.create`,
        entityType: table,
        entityId: row.id,
        investigationId,
        after: row,
      });
    }
    return { siteId: siteRow.id, itemId: item.id, markingId: marking.id };
  });
}
