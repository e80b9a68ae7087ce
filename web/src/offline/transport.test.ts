import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileStore } from '@tus/file-store';
import { Server as TusServer, type Upload } from '@tus/server';
import { v7 } from 'uuid';
import type { SyncRequest } from './contract';
import type { PhotoMeta } from './outbox';
import { SyncSignedOutError, SyncUnavailableError, UploadRefusedError } from './sync';
import { linkMedia, mediaExists, postBatch, SyncEndpointMissingError, uploadMetadata, uploadPhoto } from './transport';

// The transport against a stub server that answers as the contract says: the batch endpoint's statuses, the media
// check, and a real tus server (@tus/server) whose finish hook refuses a file whose SHA-256 differs from the one
// the device declared (HTTP 460, hash_mismatch).

describe('sync transport', () => {
  let server: http.Server;
  let baseUrl: string;
  let uploadDir: string;
  let batchStatus = 200;
  const received: SyncRequest[] = [];
  const finished: Upload[] = [];

  before(async () => {
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-tus-test-'));
    const tus = new TusServer({
      path: '/api/v1/uploads',
      datastore: new FileStore({ directory: uploadDir }),
      // As the server does: this very file (same media id and hash) made evidence before is refused, 409.
      onUploadCreate: (_request, upload) => {
        const known = finished.some(
          (done) =>
            done.metadata?.media_id === upload.metadata?.media_id && done.metadata?.sha256 === upload.metadata?.sha256,
        );
        if (!known) return Promise.resolve({});
        return Promise.reject(
          Object.assign(new Error('already uploaded'), {
            status_code: 409,
            body: JSON.stringify({ code: 'already_exists', detail: 'Media was uploaded before and is evidence.' }),
          }),
        );
      },
      onUploadFinish: (_request, upload) => {
        const bytes = fs.readFileSync(path.join(uploadDir, upload.id));
        if (createHash('sha256').update(bytes).digest('hex') !== upload.metadata?.sha256) {
          return Promise.reject(
            Object.assign(new Error('hash mismatch'), {
              status_code: 460,
              body: JSON.stringify({ code: 'hash_mismatch', detail: 'The file’s SHA-256 differs from the one sent.' }),
            }),
          );
        }
        finished.push(upload);
        return Promise.resolve({});
      },
    });
    server = http.createServer((request, response) => {
      if (request.url?.startsWith('/api/v1/uploads')) {
        void tus.handle(request, response);
        return;
      }
      if (request.url === '/api/v1/sync' && request.method === 'POST') {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SyncRequest;
          received.push(body);
          response.writeHead(batchStatus, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify(
              batchStatus === 200
                ? {
                    server_time: new Date().toISOString(),
                    clock_offset_seconds: 0,
                    clock_skew_flagged: false,
                    results: body.operations.map((op) => ({ op_id: op.op_id, status: 'created' })),
                  }
                : { code: 'x', detail: 'y' },
            ),
          );
        });
        return;
      }
      const media = /^\/api\/v1\/media\/(.+)$/.exec(request.url ?? '');
      if (media !== null) {
        const known = finished.some((upload) => upload.metadata?.media_id === media[1]);
        response.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
        response.end('{}');
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  const request = (): SyncRequest => ({
    device_id: v7(),
    device_time: new Date().toISOString(),
    operations: [
      {
        op_id: v7(),
        captured_at: new Date().toISOString(),
        type: 'site.create',
        investigation_id: v7(),
        record_id: v7(),
        body: { name: 'Depot' },
      },
    ],
  });

  it('posts a batch and reads the per-record results', async () => {
    batchStatus = 200;
    const sent = request();
    const response = await postBatch(sent, fetch, baseUrl);
    assert.equal(response.results[0]?.op_id, sent.operations[0]?.op_id);
    assert.deepEqual(received.at(-1), sent);
  });

  it('says why a batch did not go: signed out, no endpoint, server trouble, no network', async () => {
    batchStatus = 401;
    await assert.rejects(postBatch(request(), fetch, baseUrl), SyncSignedOutError);
    batchStatus = 404;
    await assert.rejects(postBatch(request(), fetch, baseUrl), SyncEndpointMissingError);
    batchStatus = 503;
    await assert.rejects(postBatch(request(), fetch, baseUrl), SyncUnavailableError);
    await assert.rejects(postBatch(request(), fetch, 'http://127.0.0.1:1'), SyncUnavailableError);
  });

  const photo = (bytes: Buffer, sha256: string): PhotoMeta => ({
    media_id: v7(),
    investigation_id: v7(),
    filename: 'crate front.png',
    media_type: 'image/png',
    size: bytes.length,
    sha256,
    captured_at: '2026-12-05T10:00:00.000Z',
    item_id: v7(),
    credit: '  Field team ',
  });

  it('links a photo once: an existing identical link is done, a refusal is kept, an outage is retried', async () => {
    const link = { link_id: v7(), media_id: v7(), investigation_id: v7(), item_id: v7(), captured_at: '' };
    const sent: { url: string; body: unknown }[] = [];
    const answering =
      (status: number, body: unknown): typeof fetch =>
      (url, init) => {
        sent.push({ url: url as string, body: JSON.parse(init?.body as string) });
        return Promise.resolve(new Response(JSON.stringify(body), { status }));
      };
    await linkMedia(link, answering(201, { id: v7() }));
    assert.deepEqual(sent[0], { url: `/api/v1/media/${link.media_id}/links`, body: { item_id: link.item_id } });
    await linkMedia(link, answering(409, { code: 'already_exists', detail: 'already linked' }));
    await assert.rejects(linkMedia(link, answering(422, { code: 'validation', detail: 'x' })), UploadRefusedError);
    await assert.rejects(linkMedia(link, answering(503, { code: 'unavailable', detail: 'x' })), SyncUnavailableError);
    await assert.rejects(linkMedia(link, answering(401, { code: 'unauthenticated', detail: 'x' })), SyncSignedOutError);
    await assert.rejects(
      linkMedia(link, () => Promise.reject(new TypeError('Failed to fetch'))),
      SyncUnavailableError,
    );
  });

  it('names the upload metadata as the contract does, with one link', () => {
    const meta = { ...photo(Buffer.from('x'), 'ab'), site_id: v7() };
    const metadata = uploadMetadata(meta);
    assert.deepEqual(Object.keys(metadata).sort(), [
      'captured_at',
      'credit',
      'filename',
      'investigation_id',
      'item_id',
      'media_id',
      'sha256',
    ]);
    assert.equal(metadata.credit, 'Field team');
  });

  it('carries the sensitivity chosen on the device in the upload metadata', () => {
    const meta = {
      ...photo(Buffer.from('x'), 'ab'),
      sensitivity: 'restricted',
      sensitivity_reason: 'Shows a witness’s face',
    };
    const metadata = uploadMetadata(meta);
    assert.equal(metadata.sensitivity, 'restricted');
    assert.equal(metadata.sensitivity_reason, 'Shows a witness’s face');
    assert.equal(uploadMetadata(photo(Buffer.from('x'), 'ab')).sensitivity, undefined);
  });

  it('uploads a photo with tus, its SHA-256 declared and its item linked', async () => {
    const bytes = Buffer.alloc(300_000, 7);
    const meta = photo(bytes, createHash('sha256').update(bytes).digest('hex'));
    let lastProgress = 0;
    await uploadPhoto(
      meta,
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      (sent) => (lastProgress = sent),
      {
        endpoint: `${baseUrl}/api/v1/uploads/`,
        source: (data) => Buffer.from(data) as unknown as Blob,
      },
    );
    assert.equal(lastProgress, bytes.length);
    const upload = finished.find((done) => done.metadata?.media_id === meta.media_id);
    assert.equal(upload?.metadata?.item_id, meta.item_id);
    assert.equal(upload?.metadata?.sha256, meta.sha256);
    assert.equal(await mediaExists(meta.media_id, fetch, baseUrl), true);
    assert.equal(await mediaExists(v7(), fetch, baseUrl), false);

    // Sent again after its answer was lost: the server says it has this very file, and that is success, not a
    // refusal (the entry leaves the outbox, nothing is stored twice).
    await uploadPhoto(meta, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), () => undefined, {
      endpoint: `${baseUrl}/api/v1/uploads/`,
      source: (data) => Buffer.from(data) as unknown as Blob,
    });
    assert.equal(finished.filter((done) => done.metadata?.media_id === meta.media_id).length, 1);
  });

  it('is refused, for good, when the bytes do not match the declared hash', async () => {
    const bytes = Buffer.from('these are not the bytes that were hashed');
    const meta = photo(bytes, 'f'.repeat(64));
    await assert.rejects(
      uploadPhoto(meta, bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), () => undefined, {
        endpoint: `${baseUrl}/api/v1/uploads/`,
        source: (data) => Buffer.from(data) as unknown as Blob,
      }),
      (error: unknown) => error instanceof UploadRefusedError && error.problem.code === 'hash_mismatch',
    );
  });
});
