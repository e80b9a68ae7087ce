// The media feature on the S3-compatible evidence store (s3rver on loopback), end to end through the HTTP API:
// upload, download with and without Range, thumbnail, and verify re-hashing the objects in the bucket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createMediaTestApp, makePhoto, multipartBody, type MediaTestApp } from '../../testing/media.js';
import { startTestS3Server, type TestS3Server } from '../../testing/s3.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { S3EvidenceStore } from '../../storage/s3-store.js';
import type { VerifyResult } from '../audit/schema.js';
import type { UploadedMedia } from './schema.js';

describe('media on the S3-compatible evidence store (HTTP API)', () => {
  let world: TestWorld;
  let s3: TestS3Server;
  let media: MediaTestApp;
  let store: S3EvidenceStore;
  let cookie: string;
  let adminCookie: string;

  before(async () => {
    world = await createTestWorld();
    s3 = await startTestS3Server({ prefix: 'case-files' });
    media = await createMediaTestApp(world, s3.env);
    assert.ok(media.store instanceof S3EvidenceStore, `the app runs on the ${media.store.kind} store`);
    store = media.store;
    cookie = await world.cookieFor('owner');
    adminCookie = await world.cookieFor('admin');
  });
  after(async () => {
    await media.close();
    store.client.destroy();
    await s3.close();
    await world.close();
  });

  const verify = async () => {
    const response = await media.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: adminCookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<VerifyResult>();
  };

  it('stores an upload in the bucket under its SHA-256 and serves it whole, by range, and as a thumbnail', async () => {
    const bytes = await makePhoto(61);
    const expected = createHash('sha256').update(bytes).digest('hex');
    const body = multipartBody({}, { filename: 'IMG_0061.JPG', contentType: 'image/jpeg', bytes });
    const uploaded = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...body.headers, cookie },
      payload: body.payload,
    });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const created = uploaded.json<UploadedMedia>();
    assert.equal(created.sha256, expected);
    assert.deepEqual([created.pixel_width, created.pixel_height], [640, 480]);

    // In the bucket, under the prefix, named by the hash; nothing kept in the local folder but staging.
    assert.equal(store.locate(expected), `s3://${s3.bucket}/case-files/sha256/${expected}`);
    assert.deepEqual(await store.stat(expected), { sizeBytes: bytes.length });
    assert.equal(fs.existsSync(path.join(media.dataDir, 'media', 'sha256')), false);
    const staging = path.join(media.dataDir, 'media', 'tmp');
    assert.deepEqual(fs.existsSync(staging) ? fs.readdirSync(staging) : [], []);

    const original = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie },
    });
    assert.equal(original.statusCode, 200);
    assert.deepEqual(original.rawPayload, bytes);
    assert.equal(original.headers['repr-digest'], `sha-256=:${Buffer.from(expected, 'hex').toString('base64')}:`);

    const part = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie, range: 'bytes=100-199' },
    });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-199/${bytes.length}`);
    assert.deepEqual(part.rawPayload, bytes.subarray(100, 200));
    const suffix = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie, range: 'bytes=-10' },
    });
    assert.equal(suffix.statusCode, 206);
    assert.deepEqual(suffix.rawPayload, bytes.subarray(bytes.length - 10));

    // The thumbnail is made by the upload's derivatives job, which reads the original from the bucket.
    await media.runJobs();
    const thumbnail = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/thumbnail`,
      headers: { cookie },
    });
    assert.equal(thumbnail.statusCode, 200, thumbnail.body);
    assert.equal(thumbnail.headers['content-type'], 'image/webp');
    assert.equal(thumbnail.headers['x-armtrace-parent-sha256'], expected);
    // Made once from a temporary copy of the object (removed again) and kept in the bucket beside it.
    assert.deepEqual(await store.getDerivative(expected, 'thumbnail.webp'), thumbnail.rawPayload);
    assert.deepEqual(fs.existsSync(staging) ? fs.readdirSync(staging) : [], []);

    // The same bytes again: stored once.
    const again = multipartBody({}, { filename: 'copy.jpg', contentType: 'image/jpeg', bytes });
    const second = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...again.headers, cookie },
      payload: again.payload,
    });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.json<UploadedMedia>().stored, 'already_stored');
  });

  it('verify re-hashes the objects in the bucket and names one changed or missing by its s3:// address', async () => {
    const bytes = await makePhoto(62);
    const body = multipartBody({}, { filename: 'evidence.jpg', contentType: 'image/jpeg', bytes });
    const uploaded = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...body.headers, cookie },
      payload: body.payload,
    });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    const photo = uploaded.json<UploadedMedia>();
    const clean = await verify();
    assert.deepEqual(clean.problems, []);
    assert.ok(clean.files_checked >= 2, `${clean.files_checked} files checked`);

    const where = store.locate(photo.sha256);
    const Key = store.key(photo.sha256);
    await store.client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key, Body: Buffer.concat([bytes, Buffer.from('tampered')]) }),
    );
    const changed = await verify();
    assert.deepEqual(
      changed.problems.map(({ kind, entity_id, path: at }) => ({ kind, entity_id, path: at })),
      [{ kind: 'file_changed', entity_id: photo.id, path: where }],
    );
    assert.match(changed.problems[0]!.message, /evidence\.jpg.*was changed in the store/);

    await store.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key }));
    const missing = await verify();
    assert.deepEqual(
      missing.problems.map(({ kind, path: at }) => ({ kind, path: at })),
      [{ kind: 'file_missing', path: where }],
    );
    const download = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/original`,
      headers: { cookie },
    });
    assert.equal(download.statusCode, 404);

    // Restored from a backup: the same bytes under the same name, and verify passes again.
    await store.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: bytes }));
    assert.deepEqual((await verify()).problems, []);
  });
});
