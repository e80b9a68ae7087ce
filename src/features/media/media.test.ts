import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createSource } from '../sources/service.js';
import type { Media, UploadedMedia } from './schema.js';
import {
  addAuditedMarking,
  createMediaTestApp,
  makePhoto,
  multipartBody,
  type MediaTestApp,
} from '../../testing/media.js';

interface IdPage {
  items: { id: string }[];
}

function filesUnder(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** A PNG whose header claims 50 000 × 50 000 pixels: a decoder would try to allocate gigabytes. */
async function pixelBomb(): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(50_000, 16);
  png.writeUInt32BE(50_000, 20);
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
  return png;
}

const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

describe('media evidence store', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let ours: { siteId: string; itemId: string; markingId: string };
  let theirs: { siteId: string; itemId: string; markingId: string };
  let cookie: string;

  async function upload(
    fields: Record<string, string>,
    file?: { filename: string; contentType: string; bytes: Buffer; field?: string },
    options: { investigationId?: string; as?: string; app?: MediaTestApp } = {},
  ) {
    const body = multipartBody(fields, file);
    return (options.app ?? media).app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${options.investigationId ?? world.investigationId}/media`,
      headers: { ...body.headers, cookie: options.as === undefined ? cookie : await world.cookieFor(options.as) },
      payload: body.payload,
    });
  }

  async function uploadPhoto(bytes: Buffer, fields: Record<string, string> = {}, filename = 'IMG_0412.JPG') {
    const response = await upload(fields, { filename, contentType: 'image/jpeg', bytes });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<UploadedMedia>();
  }

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    await createTestUser(world.db, 'reader');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
    ours = await addAuditedMarking(world, world.owner, world.investigationId, {
      latitude: 36.34,
      longitude: 43.13,
      recoveredOn: '2017-03-02',
    });
    theirs = await addAuditedMarking(world, world.outsider, world.otherInvestigationId);
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await media.close();
    await world.close();
  });

  it('stores an upload read-only under its SHA-256, the same as sha256sum computes', async () => {
    const bytes = await makePhoto(1, { exif: { takenAt: '2017:03:02 10:15:00', offset: '+03:00' } });
    const source = await createSource(world.db, world.owner, world.investigationId, {
      kind: 'media_report',
      title: 'Photo report',
      credit_line: 'Image source: QQ',
    });
    const created = await uploadPhoto(bytes, {
      captured_by: 'Field team 2',
      source_id: source.id,
      credit: 'Image source: QQ',
      licence: 'All rights reserved',
      original_url: 'https://news.qq.com/example.jpg',
    });
    const onDisk = path.join(media.dataDir, 'upload-copy.jpg');
    fs.writeFileSync(onDisk, bytes);
    const expected = execFileSync('sha256sum', [onDisk], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(created.sha256, expected);
    assert.equal(created.size_bytes, bytes.length);
    assert.equal(created.media_type, 'image/jpeg');
    assert.equal(created.original_filename, 'IMG_0412.JPG');
    assert.equal(created.credit, 'Image source: QQ');
    assert.equal(created.stored, 'new');
    assert.deepEqual([created.pixel_width, created.pixel_height], [640, 480]);
    // The perceptual hash is the derivatives job's (below): the upload reads the header and EXIF only.
    assert.equal(created.perceptual_hash, null);
    assert.deepEqual(created.derivatives, { state: 'pending', problem: null });
    assert.equal(created.exif_captured_at, '2017-03-02T07:15:00.000Z');
    assert.equal(created.exif_device, 'Canon EOS 80D');

    const stored = media.originalPath(created.sha256);
    assert.equal(
      stored,
      path.join(media.dataDir, 'media', 'sha256', expected!.slice(0, 2), expected!.slice(2, 4), expected!),
    );
    assert.deepEqual(fs.readFileSync(stored), bytes);
    assert.equal(fs.statSync(stored).mode & 0o777, 0o444);
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'tmp')), []);

    const original = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie },
    });
    assert.equal(original.statusCode, 200);
    assert.deepEqual(original.rawPayload, bytes);
    assert.equal(original.headers['content-type'], 'image/jpeg');
    assert.equal(original.headers['x-content-type-options'], 'nosniff');
    assert.equal(original.headers['repr-digest'], `sha-256=:${Buffer.from(expected!, 'hex').toString('base64')}:`);
    assert.match(String(original.headers['content-disposition']), /^attachment; filename="IMG_0412.JPG"/);
    assert.equal(original.headers['accept-ranges'], 'bytes');

    // A part of it, as a video player seeking or a resumed download asks.
    const part = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie, range: 'bytes=100-199' },
    });
    assert.equal(part.statusCode, 206);
    assert.deepEqual(part.rawPayload, bytes.subarray(100, 200));
    assert.equal(part.headers['content-range'], `bytes 100-199/${bytes.length}`);
    assert.equal(part.headers['content-length'], '100');
    const tail = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${created.id}/original`,
      headers: { cookie, range: 'bytes=-10', 'if-range': String(original.headers.etag) },
    });
    assert.equal(tail.statusCode, 206);
    assert.deepEqual(tail.rawPayload, bytes.subarray(bytes.length - 10));
    // A range the file does not have, or an If-Range for other bytes: the whole original.
    for (const headers of [{ range: `bytes=${bytes.length}-` }, { range: 'bytes=0-9', 'if-range': '"sha256-other"' }]) {
      const whole = await media.app.inject({
        method: 'GET',
        url: `/api/v1/media/${created.id}/original`,
        headers: { cookie, ...headers },
      });
      assert.equal(whole.statusCode, 200);
      assert.deepEqual(whole.rawPayload, bytes);
    }

    const byHash = await media.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/media?sha256=${expected!.toUpperCase()}`,
      headers: { cookie },
    });
    assert.deepEqual(
      byHash.json<IdPage>().items.map((row) => row.id),
      [created.id],
    );
  });

  it('stores the same bytes once and records and links them twice', async () => {
    const bytes = await makePhoto(2);
    const first = await uploadPhoto(bytes, { item_id: ours.itemId });
    const second = await uploadPhoto(bytes, { marking_id: ours.markingId, credit: 'Republished by another outlet' });
    assert.equal(first.stored, 'new');
    assert.equal(second.stored, 'already_stored');
    assert.equal(second.sha256, first.sha256);
    assert.notEqual(second.id, first.id);
    assert.deepEqual(second.same_file, [first.id]);
    assert.equal(first.links[0]!.item_id, ours.itemId);
    assert.equal(second.links[0]!.marking_id, ours.markingId);
    const copies = filesUnder(path.join(media.dataDir, 'media', 'sha256')).filter((file) =>
      file.endsWith(first.sha256),
    );
    assert.equal(copies.length, 1);
  });

  it('types files by their content and refuses one whose content contradicts its declared type', async () => {
    const lying = await upload({}, { filename: 'photo.jpg', contentType: 'image/jpeg', bytes: pdfBytes });
    assert.equal(lying.statusCode, 400, lying.body);
    assert.equal(lying.json().code, 'validation_failed');
    assert.equal(lying.json().fields[0].field, 'file');
    assert.match(lying.json().detail, /application\/pdf/);

    const renamed = await upload(
      {},
      { filename: 'report.pdf', contentType: 'application/octet-stream', bytes: await makePhoto(3) },
    );
    assert.equal(renamed.statusCode, 400, renamed.body);
    assert.equal(renamed.json().fields[0].field, 'file');

    const pngAsJpeg = await upload(
      {},
      {
        filename: 'x.png',
        contentType: 'image/jpeg',
        bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
          .png()
          .toBuffer(),
      },
    );
    assert.equal(pngAsJpeg.statusCode, 400, pngAsJpeg.body);

    for (const [bytes, declared, filename, expected] of [
      [pdfBytes, 'application/pdf', 'report.pdf', 'application/pdf'],
      [Buffer.from('Witness statement, 2 March 2017.\nÉquipe 2.\n'), 'text/plain', 'notes.txt', 'text/plain'],
      [
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 1, 2, 3]),
        'application/octet-stream',
        'a.bin',
        'application/octet-stream',
      ],
      [await makePhoto(4), 'application/octet-stream', 'no-extension', 'image/jpeg'],
    ] as const) {
      const response = await upload({}, { filename, contentType: declared, bytes });
      assert.equal(response.statusCode, 201, `${filename}: ${response.body}`);
      assert.equal(response.json().media_type, expected);
    }
    assert.deepEqual(filesUnder(path.join(media.dataDir, 'media', 'tmp')), []);
  });

  it('refuses an oversized file and a pixel bomb without falling over', async () => {
    const small = await createMediaTestApp(
      world,
      { ARMTRACE_MAX_UPLOAD_BYTES: String(256 * 1024), ARMTRACE_MAX_IMAGE_PIXELS: '1000000' },
      { shareStoreWith: media },
    );
    try {
      const oversized = await upload(
        {},
        { filename: 'big.bin', contentType: 'application/octet-stream', bytes: Buffer.alloc(1024 * 1024, 7) },
        { app: small },
      );
      assert.equal(oversized.statusCode, 400, oversized.body);
      assert.equal(oversized.json().fields[0].field, 'file');
      assert.match(oversized.json().detail, /262144 bytes/);

      const bomb = await upload({}, { filename: 'bomb.png', contentType: 'image/png', bytes: await pixelBomb() });
      assert.equal(bomb.statusCode, 400, bomb.body);
      assert.equal(bomb.json().fields[0].field, 'file');
      assert.match(bomb.json().detail, /50000×50000 pixels/);

      // Over this app's pixel limit, though small on disk.
      const large = await sharp({ create: { width: 2000, height: 2000, channels: 3, background: '#123456' } })
        .png()
        .toBuffer();
      const tooManyPixels = await upload(
        {},
        { filename: 'large.png', contentType: 'image/png', bytes: large },
        { app: small },
      );
      assert.equal(tooManyPixels.statusCode, 400, tooManyPixels.body);
      assert.equal(tooManyPixels.json().fields[0].field, 'file');

      const fine = await upload(
        {},
        { filename: 'fine.jpg', contentType: 'image/jpeg', bytes: await makePhoto(5, { width: 320, height: 240 }) },
        { app: small },
      );
      assert.equal(fine.statusCode, 201, fine.body);
      assert.deepEqual(filesUnder(path.join(small.dataDir, 'media', 'tmp')), []);
      assert.ok(fs.existsSync(small.originalPath(fine.json().sha256)));
    } finally {
      await small.close();
    }
  });

  it('makes WebP thumbnails and previews by a job that name their original; 404 with Retry-After before', async () => {
    const photo = await uploadPhoto(await makePhoto(6, { width: 2000, height: 1500 }));
    const early = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/thumbnail`,
      headers: { cookie },
    });
    assert.equal(early.statusCode, 404, early.body);
    assert.equal(early.json().code, 'derivative_not_ready');
    assert.equal(early.headers['retry-after'], '2');
    await media.runJobs();
    for (const [kind, size] of [
      ['thumbnail', 320],
      ['preview', 1600],
    ] as const) {
      const response = await media.app.inject({
        method: 'GET',
        url: `/api/v1/media/${photo.id}/${kind}`,
        headers: { cookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'image/webp');
      assert.equal(response.headers['x-armtrace-parent-sha256'], photo.sha256);
      const metadata = await sharp(response.rawPayload).metadata();
      assert.equal(metadata.format, 'webp');
      assert.equal(metadata.width, size);
      assert.match(metadata.xmp?.toString() ?? '', new RegExp(`urn:sha256:${photo.sha256}`));
      assert.equal(metadata.exif, undefined);
    }
    const cached = filesUnder(path.join(media.dataDir, 'media', 'derivatives'))
      .filter((file) => file.includes(photo.sha256))
      .map((file) => path.basename(file));
    assert.deepEqual(cached.sort(), ['preview.webp', 'thumbnail.webp']);
    const again = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/thumbnail`,
      headers: { cookie },
    });
    assert.equal(again.statusCode, 200);

    const pdf = await upload({}, { filename: 'r.pdf', contentType: 'application/pdf', bytes: pdfBytes });
    const noThumbnail = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${pdf.json().id}/thumbnail`,
      headers: { cookie },
    });
    assert.equal(noThumbnail.statusCode, 404);
    assert.match(noThumbnail.json().detail, /download the original/);
  });

  it('finds a re-encoded, resized copy of a photo and not an unrelated one', async () => {
    const originalBytes = await makePhoto(7, { width: 1200, height: 900 });
    const photo = await uploadPhoto(originalBytes, { credit: 'Field team 2' });
    const copyBytes = await sharp(originalBytes).resize(600).webp({ quality: 55 }).toBuffer();
    const copy = await upload(
      { credit: 'Image source: QQ', licence: 'All rights reserved', original_url: 'https://news.example/1.webp' },
      { filename: 'republished.webp', contentType: 'image/webp', bytes: copyBytes },
    );
    assert.equal(copy.statusCode, 201, copy.body);
    const unrelated = await uploadPhoto(await makePhoto(8, { width: 1200, height: 900 }));
    await media.runJobs();

    const response = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/similar`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200, response.body);
    const found = response.json<{ items: { distance: number; media: Media }[] }>().items;
    const ids = found.map((entry) => entry.media.id);
    assert.ok(ids.includes(copy.json().id), JSON.stringify(found));
    assert.ok(!ids.includes(unrelated.id), JSON.stringify(found));
    const match = found.find((entry) => entry.media.id === copy.json().id)!;
    assert.ok(match.distance <= 10);
    assert.equal(match.media.credit, 'Image source: QQ');
    assert.equal(match.media.original_url, 'https://news.example/1.webp');

    const strict = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/similar?max_distance=99`,
      headers: { cookie },
    });
    assert.equal(strict.statusCode, 400);
    assert.equal(strict.json().fields[0].field, 'querystring.max_distance');
  });

  it('flags a photo whose EXIF position or time disagrees with its site, changing nothing', async () => {
    const here = { latitude: 36.341, longitude: 43.131 };
    const matching = await uploadPhoto(
      await makePhoto(9, { exif: { ...here, takenAt: '2017:03:02 11:00:00', offset: '+03:00' } }),
      { item_id: ours.itemId },
    );
    assert.deepEqual(matching.links[0]!.review_flags, []);

    const faraway = await uploadPhoto(
      await makePhoto(10, { exif: { latitude: 36.8, longitude: 43.5, takenAt: '2017:03:02 12:00:00' } }),
      { marking_id: ours.markingId },
    );
    assert.deepEqual(
      faraway.links[0]!.review_flags.map((flag) => flag.kind),
      ['location_mismatch'],
    );
    assert.ok(faraway.links[0]!.review_flags[0]!.distance_m! > 50_000);
    assert.equal(faraway.links[0]!.review_flags[0]!.site_id, ours.siteId);

    const early = await uploadPhoto(await makePhoto(11, { exif: { ...here, takenAt: '2016:11:20 09:00:00' } }));
    const link = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media/${early.id}/links`,
      headers: { cookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(link.statusCode, 201, link.body);
    assert.deepEqual(
      link.json<{ review_flags: { kind: string }[] }>().review_flags.map((flag) => flag.kind),
      ['time_mismatch'],
    );

    const flagged = await media.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/media?flagged=true`,
      headers: { cookie },
    });
    assert.deepEqual(
      flagged
        .json<IdPage>()
        .items.map((row) => row.id)
        .sort(),
      [faraway.id, early.id].sort(),
    );
    const site = await world.db
      .selectFrom('sites')
      .select(['version', 'latitude'])
      .where('id', '=', ours.siteId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(site, { version: 1, latitude: 36.34 });
  });

  it('names a stored original that was edited or deleted on disk when verifying', async () => {
    const photo = await uploadPhoto(await makePhoto(12), {}, 'evidence.jpg');
    const file = media.originalPath(photo.sha256);
    const bytes = fs.readFileSync(file);
    assert.equal((await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck })).ok, true);

    fs.chmodSync(file, 0o644);
    fs.appendFileSync(file, 'tampered');
    const changed = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.deepEqual(
      changed.problems.map(({ kind, entity_id, path: at }) => ({ kind, entity_id, path: at })),
      [{ kind: 'file_changed', entity_id: photo.id, path: file }],
    );
    assert.match(changed.problems[0]!.message, /evidence\.jpg/);

    fs.rmSync(file);
    const missing = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.deepEqual(
      missing.problems.map(({ kind, path: at }) => ({ kind, path: at })),
      [{ kind: 'file_missing', path: file }],
    );
    const download = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/original`,
      headers: { cookie },
    });
    assert.equal(download.statusCode, 404);

    fs.writeFileSync(file, bytes, { mode: 0o444 });
    const restored = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.deepEqual(restored.problems, []);
    assert.ok(restored.files_checked >= 10, `${restored.files_checked} files checked`);
  });

  it('links media to a site, an item and a marking, refuses duplicates and unlinks by archiving', async () => {
    const photo = await uploadPhoto(await makePhoto(13));
    const links: { id: string }[] = [];
    for (const payload of [{ site_id: ours.siteId }, { item_id: ours.itemId }, { marking_id: ours.markingId }]) {
      const response = await media.app.inject({
        method: 'POST',
        url: `/api/v1/media/${photo.id}/links`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().media_id, photo.id);
      links.push(response.json());
    }
    const duplicate = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media/${photo.id}/links`,
      headers: { cookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'already_exists');
    assert.equal(duplicate.json().fields[0].field, 'item_id');

    const shown = await media.app.inject({ method: 'GET', url: `/api/v1/media/${photo.id}`, headers: { cookie } });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.equal(shown.json().links.length, 3);

    const staleUnlink = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media-links/${links[1]!.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'wrong item' },
    });
    assert.equal(staleUnlink.statusCode, 409);
    const unlinked = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media-links/${links[1]!.id}/archive`,
      headers: { cookie },
      payload: { version: 1, reason: 'wrong item' },
    });
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    assert.equal(unlinked.json().archive_reason, 'wrong item');
    const afterUnlink = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}`,
      headers: { cookie },
    });
    assert.deepEqual(
      afterUnlink.json<{ links: { id: string }[] }>().links.map((link) => link.id),
      [links[0]!.id, links[2]!.id],
    );
  });

  it('lists the media linked now to one site, item or marking', async () => {
    const photo = await uploadPhoto(await makePhoto(21), { site_id: ours.siteId });
    const listed = async (filter: string) => {
      const response = await media.app.inject({
        method: 'GET',
        url: `/api/v1/investigations/${world.investigationId}/media?${filter}`,
        headers: { cookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json<{ items: { id: string }[] }>().items.map((item) => item.id);
    };
    assert.ok((await listed(`site_id=${ours.siteId}`)).includes(photo.id));
    assert.ok(!(await listed(`item_id=${ours.itemId}`)).includes(photo.id));
    assert.ok(!(await listed(`marking_id=${ours.markingId}`)).includes(photo.id));
  });

  it('updates what describes a file with a version check, never its hash, and archives it', async () => {
    const photo = await uploadPhoto(await makePhoto(14));
    const updated = await media.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${photo.id}`,
      headers: { cookie },
      payload: { version: 1, licence: 'CC BY 4.0', captured_at: '2017-03-02T10:15:00+03:00' },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().captured_at, '2017-03-02T07:15:00.000Z');
    const stale = await media.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${photo.id}`,
      headers: { cookie },
      payload: { version: 1, credit: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');
    const hashChange = await media.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${photo.id}`,
      headers: { cookie },
      payload: { version: 2, sha256: 'a'.repeat(64) },
    });
    // The hash describes the bytes: it is not a field that can be changed.
    assert.equal(hashChange.statusCode, 200, hashChange.body);
    assert.equal(hashChange.json().sha256, photo.sha256);
    const archived = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media/${photo.id}/archive`,
      headers: { cookie },
      payload: { version: 3, reason: 'duplicate upload of the same photo' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const linkArchived = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media/${photo.id}/links`,
      headers: { cookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(linkArchived.statusCode, 409);
    assert.equal(linkArchived.json().code, 'archived');
  });

  it('names the field of bad input', async () => {
    const bytes = await makePhoto(15, { width: 64, height: 48 });
    const file = { filename: 'a.jpg', contentType: 'image/jpeg', bytes };
    const cases: [Record<string, string>, string][] = [
      [{ site_id: 'not-a-uuid' }, 'site_id'],
      [{ captured_at: '2017-03-02' }, 'captured_at'],
      [{ original_url: 'file:///tmp/a.jpg' }, 'original_url'],
      [{ site_id: ours.siteId, item_id: ours.itemId }, 'site_id'],
    ];
    for (const [fields, field] of cases) {
      const response = await upload(fields, file);
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().fields[0].field, field);
    }
    const noFile = await upload({ credit: 'x' });
    assert.equal(noFile.statusCode, 400, noFile.body);
    assert.equal(noFile.json().fields[0].field, 'file');
    const wrongField = await upload({}, { ...file, field: 'photo' });
    assert.equal(wrongField.statusCode, 400, wrongField.body);
    assert.equal(wrongField.json().fields[0].field, 'file');
    const json = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { cookie },
      payload: { sha256: 'c'.repeat(64), size_bytes: 10, media_type: 'image/jpeg' },
    });
    assert.equal(json.statusCode, 400, json.body);
    assert.equal(json.json().fields[0].field, 'file');
    const photo = await uploadPhoto(bytes);
    for (const payload of [{}, { site_id: ours.siteId, item_id: ours.itemId }]) {
      const response = await media.app.inject({
        method: 'POST',
        url: `/api/v1/media/${photo.id}/links`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().code, 'validation_failed');
    }
  });

  it('refuses references to another investigation’s records', async () => {
    const theirSource = await createSource(world.db, world.outsider, world.otherInvestigationId, {
      kind: 'other',
      title: 'Their source',
    });
    const bytes = await makePhoto(16, { width: 64, height: 48 });
    const response = await upload(
      { source_id: theirSource.id },
      { filename: 'a.jpg', contentType: 'image/jpeg', bytes },
    );
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(response.json().code, 'reference_invalid');
    assert.equal(response.json().fields[0].field, 'source_id');

    const photo = await uploadPhoto(bytes);
    for (const [column, id] of [
      ['site_id', theirs.siteId],
      ['item_id', theirs.itemId],
      ['marking_id', theirs.markingId],
    ] as const) {
      const link = await media.app.inject({
        method: 'POST',
        url: `/api/v1/media/${photo.id}/links`,
        headers: { cookie },
        payload: { [column]: id },
      });
      assert.equal(link.statusCode, 422, link.body);
      assert.equal(link.json().code, 'reference_invalid');
      assert.equal(link.json().fields[0].field, column);
    }
  });

  it('hides another team’s media and lets a viewer read but not write', async () => {
    const bytes = await makePhoto(17, { width: 64, height: 48 });
    const theirs = await upload(
      {},
      { filename: 'a.jpg', contentType: 'image/jpeg', bytes },
      {
        investigationId: world.otherInvestigationId,
        as: 'outsider',
      },
    );
    assert.equal(theirs.statusCode, 201, theirs.body);
    const theirId = theirs.json().id;
    for (const url of [
      `/api/v1/media/${theirId}`,
      `/api/v1/media/${theirId}/original`,
      `/api/v1/media/${theirId}/thumbnail`,
      `/api/v1/media/${theirId}/similar`,
      `/api/v1/investigations/${world.otherInvestigationId}/media`,
    ]) {
      const response = await media.app.inject({ method: 'GET', url, headers: { cookie } });
      assert.equal(response.statusCode, 404, url);
    }
    const intoTheirs = await upload(
      {},
      { filename: 'a.jpg', contentType: 'image/jpeg', bytes },
      { investigationId: world.otherInvestigationId },
    );
    assert.equal(intoTheirs.statusCode, 404);

    const photo = await uploadPhoto(bytes);
    const readerCookie = await world.cookieFor('reader');
    const read = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${photo.id}/original`,
      headers: { cookie: readerCookie },
    });
    assert.equal(read.statusCode, 200);
    const readerUpload = await upload({}, { filename: 'a.jpg', contentType: 'image/jpeg', bytes }, { as: 'reader' });
    assert.equal(readerUpload.statusCode, 403);
    const readerLink = await media.app.inject({
      method: 'POST',
      url: `/api/v1/media/${photo.id}/links`,
      headers: { cookie: readerCookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(readerLink.statusCode, 403);
    const readerPatch = await media.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${photo.id}`,
      headers: { cookie: readerCookie },
      payload: { version: 1, credit: 'Viewer credit' },
    });
    assert.equal(readerPatch.statusCode, 403);
  });

  it('describes its routes, the upload as multipart, in the OpenAPI document', async () => {
    const response = await media.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200, response.body);
    const paths = response.json<{ paths: Record<string, Record<string, { requestBody?: { content: object } }>> }>()
      .paths;
    for (const route of [
      '/api/v1/investigations/{id}/media',
      '/api/v1/media/{id}',
      '/api/v1/media/{id}/original',
      '/api/v1/media/{id}/thumbnail',
      '/api/v1/media/{id}/preview',
      '/api/v1/media/{id}/similar',
      '/api/v1/media/{id}/archive',
      '/api/v1/media/{id}/links',
      '/api/v1/media-links/{id}/archive',
    ]) {
      assert.ok(Object.keys(paths).includes(route), route);
    }
    assert.deepEqual(Object.keys(paths['/api/v1/investigations/{id}/media']!.post!.requestBody!.content), [
      'multipart/form-data',
    ]);
  });

  it('audits every write so the chain, the records and the stored originals verify', async () => {
    const result = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.deepEqual(result.problems, []);
    assert.ok(result.files_checked > 10);
  });
});
