import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig, type Config } from '../config/config.js';
import { buildApp } from '../http/app.js';
import type { JobQueue } from '../jobs/index.js';
import type { ApiApp } from '../http/types.js';
import type { TestWorld } from './test-database.js';
import type { Actor } from '../features/access/schema.js';
import { recordChange, type StoredFilesCheck } from '../features/audit/service.js';
import { verifyMediaFiles } from '../features/media/originals.js';
import type { UploadedMedia } from '../features/media/schema.js';
import { createEvidenceStore } from '../storage/create.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { FolderEvidenceStore } from '../storage/folder-store.js';
import { startTestJobs } from './jobs.js';

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
  /**
   * The app's job queue (in-process unless `pgBossJobs`; not started unless `startFeatureJobs`: uploads queue their
   * derivatives and they wait).
   */
  jobs: JobQueue;
  /** Runs the queued jobs (media derivatives) until none waits or runs, then stops an in-process queue again. */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

export async function createMediaTestApp(
  world: TestWorld,
  env: Record<string, string> = {},
  options: {
    shareStoreWith?: MediaTestApp;
    /** On PostgreSQL, run the jobs through pg-boss, as a deployment does; default: in this process. */
    pgBossJobs?: boolean;
    /** Register every feature's jobs (an import started as a job, a bag…) and start the queue, as `serve` does. */
    startFeatureJobs?: boolean;
  } = {},
): Promise<MediaTestApp> {
  const shared = options.shareStoreWith?.dataDir;
  const dataDir = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-media-'));
  const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent', ...env });
  const store = createEvidenceStore(config);
  // Retried at once; the media derivatives only, waiting until runJobs(), unless the features' jobs are asked for.
  const featureJobs = options.startFeatureJobs === true;
  const testJobs = await startTestJobs(world.test, store, config, {
    jobs: featureJobs ? 'features' : 'media',
    start: featureJobs,
    pgBoss: options.pgBossJobs === true,
    pollingIntervalSeconds: 0.05,
  });
  const jobs = testJobs.queue;
  const app = await buildApp({ db: world.db, config, store, logger: false, jobs });
  return {
    app,
    config,
    store,
    dataDir,
    jobs,
    runJobs: () => testJobs.runUntilIdle(),
    storedFilesCheck: (onProgress) => verifyMediaFiles(world.db, store, onProgress),
    originalPath(sha256: string): string {
      if (!(store instanceof FolderEvidenceStore)) throw new Error(`the ${store.kind} store has no local files`);
      return store.path(sha256);
    },
    async close() {
      await testJobs.stop();
      await app.close();
      if (shared === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Uploads a file as a user would (`POST /investigations/{id}/media`, multipart, `fields` first) and expects it
 * stored (201).
 */
export async function uploadMedia(
  app: ApiApp,
  cookie: string,
  investigationId: string,
  file: { bytes: Buffer; filename: string; contentType: string },
  fields: Record<string, string> = {},
): Promise<UploadedMedia> {
  const body = multipartBody(fields, file);
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/investigations/${investigationId}/media`,
    headers: { ...body.headers, cookie },
    payload: body.payload,
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json<UploadedMedia>();
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
