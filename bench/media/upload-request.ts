/**
 * Upload request time: POST /investigations/{id}/media of N distinct JPEG photos (phone-sized, 12 MP by
 * default) through the app on an in-memory embedded database, one after another, each request timed from send to
 * answer. Prints the median and p95. Run it on two checkouts to compare (e.g. before and after derivatives became
 * jobs: the request then no longer decodes the image for its perceptual hash).
 *
 *   npx tsx bench/media/upload-request.ts --photos 24 --width 4000 --height 3000
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { buildApp } from '../../src/http/app.js';
import { createEvidenceStore } from '../../src/storage/create.js';
import { multipartBody } from '../../src/testing/media.js';
import { createTestWorld } from '../../src/testing/test-database.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '24' },
    width: { type: 'string', default: '4000' },
    height: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '2' },
  },
});
const count = Number(values.photos);
const width = Number(values.width);
const height = Number(values.height);
const warmup = Number(values.warmup);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const world = await createTestWorld();
const store = createEvidenceStore(world.config);
const app = await buildApp({ db: world.db, config: world.config, store, logger: false });
const cookie = await world.cookieFor('owner');
try {
  const photos: Buffer[] = [];
  for (let index = 0; index < count + warmup; index += 1) {
    // A smooth gradient with light noise: about the size a phone's JPEG has.
    photos.push(
      await sharp({
        create: {
          width,
          height,
          channels: 3,
          background: { r: 40 + index, g: 90, b: 140 },
          noise: { type: 'gaussian', mean: 0, sigma: 12 },
        },
      })
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  const times: number[] = [];
  for (const [index, bytes] of photos.entries()) {
    const body = multipartBody({}, { filename: `IMG_${index}.JPG`, contentType: 'image/jpeg', bytes });
    const start = process.hrtime.bigint();
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...body.headers, cookie },
      payload: body.payload,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (response.statusCode !== 201) throw new Error(`upload ${index}: ${response.statusCode} ${response.body}`);
    if (index >= warmup) times.push(ms);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const size = photos.reduce((sum, photo) => sum + photo.length, 0) / photos.length / 1024 / 1024;
  const summary = {
    photos: count,
    pixels: `${width}x${height}`,
    mean_mib: Number(size.toFixed(2)),
    median_ms: Math.round(percentile(sorted, 50)),
    p95_ms: Math.round(percentile(sorted, 95)),
    min_ms: Math.round(sorted[0]!),
    max_ms: Math.round(sorted[sorted.length - 1]!),
    node: process.version,
    cpus: os.cpus().length,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await app.close();
  await world.close();
}
