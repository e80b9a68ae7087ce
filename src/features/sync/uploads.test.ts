import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tus from 'tus-js-client';
import { v7 as uuidv7 } from 'uuid';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { createItem } from '../items/service.js';
import { createMediaTestApp, makePhoto, type MediaTestApp } from '../../testing/media.js';
import { makeC2paSigner, makePgpKey, makeProofModeBundle, signJpegWithC2pa } from '../../testing/proofs.js';
import type { MediaWithLinks } from '../media/schema.js';
import { createSite } from '../sites/service.js';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)));
}

/** tus Upload-Metadata: comma-separated `key base64(value)` pairs. */
function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

describe('resumable uploads (tus)', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let base: string;
  let cookie: string;
  let viewerCookie: string;
  let outsiderCookie: string;
  let itemId: string;

  function metadataFor(bytes: Buffer, extra: Record<string, string> = {}) {
    return {
      investigation_id: world.investigationId,
      media_id: uuidv7(),
      sha256: sha256(bytes),
      filename: 'IMG_0412.JPG',
      ...extra,
    };
  }

  /** Uploads with tus-js-client as the web app does; resolves with the last response's status and headers. */
  function tusUpload(
    bytes: Buffer,
    metadata: Record<string, string>,
    options: Partial<tus.UploadOptions> & { as?: string } = {},
  ): Promise<{ status: number; mediaId: string | undefined; url: string | null }> {
    return new Promise((resolve, reject) => {
      const upload = new tus.Upload(bytes, {
        endpoint: `${base}/api/v1/uploads/`,
        metadata,
        headers: { cookie: options.as ?? cookie },
        retryDelays: [],
        ...options,
        onSuccess: (payload) =>
          resolve({
            status: payload.lastResponse.getStatus(),
            mediaId: payload.lastResponse.getHeader('armtrace-media-id'),
            url: upload.url,
          }),
        onError: (error) => reject(error),
      });
      upload.start();
    });
  }

  async function getMedia(id: string) {
    return media.app.inject({ method: 'GET', url: `/api/v1/media/${id}`, headers: { cookie } });
  }

  async function raw(method: string, url: string, headers: Record<string, string>, body?: Buffer) {
    return fetch(`${base}${url}`, {
      method,
      headers: { 'tus-resumable': '1.0.0', ...headers },
      ...(body === undefined ? {} : { body }),
    });
  }

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    base = await media.app.listen({ host: '127.0.0.1', port: 0 });
    cookie = await world.cookieFor('owner');
    outsiderCookie = await world.cookieFor('outsider');
    await createTestUser(world.db, 'upload-viewer');
    const added = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/members`,
      headers: { cookie },
      payload: { username: 'upload-viewer', role: 'viewer' },
    });
    assert.equal(added.statusCode, 201, added.body);
    viewerCookie = await world.cookieFor('upload-viewer');
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'Cellar' });
    itemId = (
      await createItem(world.db, world.owner, world.investigationId, { site_id: site.id, category: 'small_arm' })
    ).id;
  });
  after(async () => {
    await media.close();
    await world.close();
  });

  it('makes a complete upload evidence with the device’s media id, linked to its item', async () => {
    const photo = await makePhoto(1);
    const metadata = metadataFor(photo, { item_id: itemId, captured_at: '2026-03-01T10:15:00+03:00' });
    const result = await tusUpload(photo, metadata);
    assert.equal(result.status, 204);
    assert.equal(result.mediaId, metadata.media_id);
    assert.ok(result.url?.includes(`/api/v1/uploads/${metadata.media_id}`));
    const stored = await getMedia(metadata.media_id);
    assert.equal(stored.statusCode, 200, stored.body);
    const record = stored.json<{
      sha256: string;
      size_bytes: number;
      media_type: string;
      original_filename: string;
      captured_at: string;
      links: { item_id: string }[];
    }>();
    assert.equal(record.sha256, metadata.sha256);
    assert.equal(record.size_bytes, photo.length);
    assert.equal(record.media_type, 'image/jpeg');
    assert.equal(record.original_filename, 'IMG_0412.JPG');
    assert.equal(record.captured_at, '2026-03-01T07:15:00.000Z');
    assert.deepEqual(
      record.links.map((link) => link.item_id),
      [itemId],
    );
    const original = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${metadata.media_id}/original`,
      headers: { cookie },
    });
    assert.equal(sha256(original.rawPayload), metadata.sha256);
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'tmp', 'tus')), [], 'no partial left');
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('reads the proofs a resumable upload brings: a C2PA-signed JPEG and a ProofMode zip', async () => {
    const signed = await signJpegWithC2pa(await makePhoto(61, { width: 96, height: 64 }), await makeC2paSigner());
    const signedMetadata = metadataFor(signed, { filename: 'signed.jpg', item_id: itemId });
    assert.equal((await tusUpload(signed, signedMetadata)).status, 204);
    const signedRecord = (await getMedia(signedMetadata.media_id)).json<MediaWithLinks>();
    assert.deepEqual(
      signedRecord.proofs.map((proof) => [proof.kind, proof.claims_present, proof.signature_state]),
      [['c2pa', true, 'verified']],
    );

    const photo = await makePhoto(62, { width: 96, height: 64 });
    const zip = await makeProofModeBundle(photo, 'IMG_7.jpg', sha256(photo), await makePgpKey());
    const zipMetadata = metadataFor(zip, { filename: 'proofmode.zip', item_id: itemId });
    const result = await tusUpload(zip, zipMetadata);
    assert.equal(result.status, 204);
    assert.equal(result.mediaId, zipMetadata.media_id);
    const record = (await getMedia(zipMetadata.media_id)).json<MediaWithLinks>();
    // The device's media id names the photo from the bundle; the bundle itself is kept as a proof file.
    assert.equal(record.sha256, sha256(photo));
    assert.equal(record.proofs[0]!.signature_state, 'verified');
    assert.equal(record.proofs[0]!.files.find((file) => file.role === 'bundle')!.sha256, zipMetadata.sha256);
    // A replay of the same bundle (an answer lost) is told the file is there, as for any upload.
    const replay = await raw('POST', '/api/v1/uploads/', {
      cookie,
      'upload-length': String(zip.length),
      'upload-metadata': encodeMetadata(zipMetadata),
    });
    assert.equal(replay.status, 409);
    assert.equal(((await replay.json()) as { code: string }).code, 'already_exists');
    assert.equal((await verifyAudit(world.db)).ok, true);
  });

  it('resumes an interrupted upload from the offset the server reports', async () => {
    const photo = Buffer.concat([await makePhoto(2, { width: 800, height: 600 }), Buffer.alloc(0)]);
    const metadata = metadataFor(photo);
    const chunkSize = Math.ceil(photo.length / 4);
    // The first attempt stops after one chunk, as a dropped connection would.
    const firstUrl = await new Promise<string>((resolve, reject) => {
      const upload: tus.Upload = new tus.Upload(photo, {
        endpoint: `${base}/api/v1/uploads/`,
        metadata,
        headers: { cookie },
        chunkSize,
        retryDelays: [],
        onChunkComplete: () => {
          void upload.abort().then(() => resolve(upload.url!));
        },
        onSuccess: () => reject(new Error('should have been interrupted')),
        onError: reject,
      });
      upload.start();
    });
    const head = await raw('HEAD', new URL(firstUrl, base).pathname, { cookie });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('upload-offset'), String(chunkSize));
    assert.equal((await getMedia(metadata.media_id)).statusCode, 404, 'not evidence before it is complete');
    // Someone else cannot see or continue it.
    const foreign = await raw('HEAD', new URL(firstUrl, base).pathname, { cookie: outsiderCookie });
    assert.equal(foreign.status, 404);

    const offsets: string[] = [];
    const resumed = await tusUpload(photo, metadata, {
      uploadUrl: firstUrl,
      chunkSize,
      onBeforeRequest: (request) => {
        if (request.getMethod() === 'PATCH') offsets.push(request.getHeader('Upload-Offset') ?? '');
      },
    });
    assert.equal(resumed.status, 204);
    assert.equal(offsets[0], String(chunkSize), 'the resumed upload starts where the first stopped');
    const stored = await getMedia(metadata.media_id);
    assert.equal(stored.statusCode, 200, stored.body);
    assert.equal(stored.json<{ sha256: string }>().sha256, sha256(photo));
  });

  it('refuses bytes whose hash does not match, keeping neither a record nor the original', async () => {
    const photo = await makePhoto(3);
    const metadata = metadataFor(photo, { sha256: sha256(Buffer.from('something else')) });
    const storedBefore = filesUnder(path.join(media.dataDir, 'media', 'sha256'));
    const error = await tusUpload(photo, metadata).then(
      () => assert.fail('a mismatching upload must fail'),
      (failure: unknown) => failure as tus.DetailedError,
    );
    assert.ok(error.originalResponse !== null, String(error));
    assert.equal(error.originalResponse.getStatus(), 460);
    const problem = JSON.parse(error.originalResponse.getBody()) as { code: string; fields: unknown[] };
    assert.equal(problem.code, 'hash_mismatch');
    assert.equal((await getMedia(metadata.media_id)).statusCode, 404);
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'sha256')), storedBefore);
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'tmp')), []);
  });

  it('creates nothing on a replay of the same media id', async () => {
    const photo = await makePhoto(4);
    const metadata = metadataFor(photo);
    assert.equal((await tusUpload(photo, metadata)).status, 204);
    const countMedia = async () =>
      Number(
        (
          await world.db
            .selectFrom('media')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await countMedia();
    const replay = await raw('POST', '/api/v1/uploads/', {
      cookie,
      'upload-length': String(photo.length),
      'upload-metadata': encodeMetadata(metadata),
    });
    assert.equal(replay.status, 409);
    assert.equal(replay.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await replay.json()) as { code: string }).code, 'already_exists');
    // The same id for other bytes is refused as well: an id never names two files.
    const other = await makePhoto(5);
    const clash = await raw('POST', '/api/v1/uploads/', {
      cookie,
      'upload-length': String(other.length),
      'upload-metadata': encodeMetadata({ ...metadata, sha256: sha256(other) }),
    });
    assert.equal(clash.status, 409);
    assert.equal(await countMedia(), before);
    assert.equal((await getMedia(metadata.media_id)).json<{ sha256: string }>().sha256, metadata.sha256);
  });

  it('refuses a viewer, an outsider and a bad request before accepting any byte', async () => {
    const photo = await makePhoto(6);
    const headersFor = (as: string, metadata: Record<string, string>) => ({
      cookie: as,
      'upload-length': String(photo.length),
      'upload-metadata': encodeMetadata(metadata),
    });
    const byViewer = await raw('POST', '/api/v1/uploads/', headersFor(viewerCookie, metadataFor(photo)));
    assert.equal(byViewer.status, 403);
    assert.equal(((await byViewer.json()) as { code: string }).code, 'forbidden');
    const byOutsider = await raw('POST', '/api/v1/uploads/', headersFor(outsiderCookie, metadataFor(photo)));
    assert.equal(byOutsider.status, 404);
    const anonymous = await raw('POST', '/api/v1/uploads/', {
      'upload-length': String(photo.length),
      'upload-metadata': encodeMetadata(metadataFor(photo)),
    });
    assert.equal(anonymous.status, 401);
    const noHash = await raw('POST', '/api/v1/uploads/', headersFor(cookie, { ...metadataFor(photo), sha256: 'abc' }));
    assert.equal(noHash.status, 400);
    assert.equal(((await noHash.json()) as { fields: { field: string }[] }).fields[0]!.field, 'sha256');
    const early = await raw(
      'POST',
      '/api/v1/uploads/',
      headersFor(cookie, { ...metadataFor(photo), item_id: uuidv7() }),
    );
    assert.equal(early.status, 424);
    assert.equal(((await early.json()) as { code: string }).code, 'dependency_missing');
    const tooLarge = await raw('POST', '/api/v1/uploads/', {
      ...headersFor(cookie, metadataFor(photo)),
      'upload-length': String(media.config.media.maxUploadBytes + 1),
    });
    assert.equal(tooLarge.status, 413);
    const unknown = await raw(
      'PATCH',
      `/api/v1/uploads/${uuidv7()}`,
      { cookie, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      photo,
    );
    assert.equal(unknown.status, 404);
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'tmp', 'tus')), []);
  });
});
