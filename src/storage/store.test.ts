// Database-independent: the evidence store keeps files, not rows.
// One contract, run against each implementation (the folder, and the S3 store on s3rver on loopback).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../config/config.js';
import { DomainError } from '../errors.js';
import { startTestS3Server, type TestS3Server } from '../testing/s3.js';
import { createEvidenceStore } from './create.js';
import type { EvidenceStore } from './evidence-store.js';
import { FolderEvidenceStore } from './folder-store.js';
import { copyStore } from './migrate.js';
import { S3EvidenceStore } from './s3-store.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const streamOf = (bytes: Buffer) => Readable.from([bytes]);

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A store under test, and a way to change a stored object's bytes behind its back (what verify must catch). */
interface Subject {
  store: EvidenceStore;
  dataDir: string;
  replaceBehindTheStore(hash: string, bytes: Buffer): Promise<void>;
  close(): Promise<void>;
}

const implementations: { name: string; open(): Promise<Subject> }[] = [
  {
    name: 'folder',
    open() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-store-'));
      const store = createEvidenceStore(loadConfig({ ARMTRACE_DATA: dataDir }));
      assert.ok(store instanceof FolderEvidenceStore);
      return Promise.resolve({
        store,
        dataDir,
        replaceBehindTheStore(hash, bytes) {
          fs.chmodSync(store.path(hash), 0o644);
          fs.writeFileSync(store.path(hash), bytes);
          return Promise.resolve();
        },
        close() {
          fs.rmSync(dataDir, { recursive: true, force: true });
          return Promise.resolve();
        },
      });
    },
  },
  {
    name: 's3',
    async open() {
      const s3: TestS3Server = await startTestS3Server({ prefix: 'evidence' });
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-store-'));
      const store = createEvidenceStore(loadConfig({ ARMTRACE_DATA: dataDir, ...s3.env }));
      assert.ok(store instanceof S3EvidenceStore);
      return {
        store,
        dataDir,
        async replaceBehindTheStore(hash, bytes) {
          await store.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: store.key(hash), Body: bytes }));
        },
        async close() {
          store.client.destroy();
          await s3.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const implementation of implementations) {
  describe(`evidence store contract: ${implementation.name}`, () => {
    let subject: Subject;
    let store: EvidenceStore;
    before(async () => {
      subject = await implementation.open();
      store = subject.store;
    });
    after(async () => {
      await subject.close();
    });

    it('puts a stream once under its SHA-256 and size, and a second put of the same bytes creates nothing', async () => {
      const bytes = Buffer.from(`an original (${implementation.name})`);
      const first = await store.put(streamOf(bytes), { maxBytes: 1000 });
      assert.deepEqual(first, { sha256: sha256(bytes), sizeBytes: bytes.length, created: true });
      const again = await store.put(streamOf(bytes), { maxBytes: 1000 });
      assert.deepEqual(again, { ...first, created: false });
      assert.equal(await store.has(first.sha256), true);
      assert.deepEqual(await store.stat(first.sha256), { sizeBytes: bytes.length });
      assert.deepEqual(await readAll(await store.get(first.sha256)), bytes);
      assert.match(store.locate(first.sha256), new RegExp(`${first.sha256}$`));
    });

    it('reads byte ranges (both ends included, as an HTTP Range)', async () => {
      const bytes = Buffer.from('0123456789abcdef');
      const { sha256: hash } = await store.put(streamOf(bytes), { maxBytes: 1000 });
      assert.equal((await readAll(await store.get(hash, { start: 2, end: 5 }))).toString(), '2345');
      assert.equal((await readAll(await store.get(hash, { start: 15, end: 15 }))).toString(), 'f');
      assert.equal((await readAll(await store.get(hash, { start: 0, end: 15 }))).toString(), bytes.toString());
    });

    it('answers not_found for an original it does not hold, and has/stat/rehash say so', async () => {
      const absent = sha256(Buffer.from('never stored'));
      await assert.rejects(
        store.get(absent),
        (error: unknown) => error instanceof DomainError && error.code === 'not_found',
      );
      assert.equal(await store.has(absent), false);
      assert.equal(await store.stat(absent), undefined);
      assert.equal(await store.rehash(absent), undefined);
      await assert.rejects(
        store.withLocalFile(absent, () => Promise.resolve('unreachable')),
        (error: unknown) => error instanceof DomainError && error.code === 'not_found',
      );
    });

    it('stages a file (hash, size, head, a local copy) and stores nothing until commit; discard leaves nothing', async () => {
      const bytes = Buffer.from('staged, then thought better of');
      const staged = await store.stage(streamOf(bytes), { maxBytes: 1000 });
      assert.equal(staged.sha256, sha256(bytes));
      assert.equal(staged.sizeBytes, bytes.length);
      assert.deepEqual(staged.head, bytes);
      assert.deepEqual(fs.readFileSync(staged.localPath), bytes);
      assert.equal(await store.has(staged.sha256), false);
      await staged.discard();
      assert.equal(fs.existsSync(staged.localPath), false);
      assert.equal(await store.has(staged.sha256), false);

      const kept = await store.stage(streamOf(bytes), { maxBytes: 1000 });
      assert.deepEqual(await kept.commit(), { created: true });
      assert.equal(fs.existsSync(kept.localPath), false);
      await assert.rejects(kept.commit(), /already committed/);
      assert.deepEqual(await readAll(await store.get(kept.sha256)), bytes);
    });

    it('refuses a file over the limit with validation_failed on `file`, storing nothing', async () => {
      const bytes = Buffer.alloc(2048, 1);
      await assert.rejects(
        store.put(streamOf(bytes), { maxBytes: 1024 }),
        (error: unknown) =>
          error instanceof DomainError && error.code === 'validation_failed' && error.fields[0]?.field === 'file',
      );
      assert.equal(await store.has(sha256(bytes)), false);
    });

    it('stores a file larger than one part (multipart in S3) byte for byte', async () => {
      const bytes = Buffer.alloc(17 * 1024 * 1024 + 3);
      for (let index = 0; index < bytes.length; index += 4096) bytes[index] = index % 251;
      const put = await store.put(Readable.from([bytes.subarray(0, 5_000_000), bytes.subarray(5_000_000)]), {
        maxBytes: bytes.length,
      });
      assert.deepEqual(put, { sha256: sha256(bytes), sizeBytes: bytes.length, created: true });
      assert.deepEqual(await store.rehash(put.sha256), { sha256: put.sha256, sizeBytes: bytes.length });
      const tail = await readAll(await store.get(put.sha256, { start: bytes.length - 10, end: bytes.length - 1 }));
      assert.deepEqual(tail, bytes.subarray(bytes.length - 10));
    });

    it('two puts of the same bytes at once store them once', async () => {
      const bytes = Buffer.from('sent twice at the same time');
      const results = await Promise.all([
        store.put(streamOf(bytes), { maxBytes: 1000 }),
        store.put(streamOf(bytes), { maxBytes: 1000 }),
      ]);
      assert.ok(results.every((result) => result.sha256 === sha256(bytes)));
      assert.deepEqual(await store.rehash(sha256(bytes)), { sha256: sha256(bytes), sizeBytes: bytes.length });
    });

    it('re-hashes what is stored: bytes changed behind the store are found, and never overwritten by a put', async () => {
      const bytes = Buffer.from('evidence that will be tampered with');
      const { sha256: hash } = await store.put(streamOf(bytes), { maxBytes: 1000 });
      assert.deepEqual(await store.rehash(hash), { sha256: hash, sizeBytes: bytes.length });
      const tampered = Buffer.from('tampered');
      await subject.replaceBehindTheStore(hash, tampered);
      assert.deepEqual(await store.rehash(hash), { sha256: sha256(tampered), sizeBytes: tampered.length });
      // The damaged object is kept for investigation: a put of the right bytes refuses rather than rewrite it.
      await assert.rejects(
        store.put(streamOf(bytes), { maxBytes: 1000 }),
        (error: unknown) =>
          error instanceof DomainError && error.code === 'constraint_violated' && error.message.includes('damaged'),
      );
      assert.deepEqual(await readAll(await store.get(hash)), tampered);
    });

    it('lends a local file holding an original (for image decoders)', async () => {
      const bytes = Buffer.from('decode me');
      const { sha256: hash } = await store.put(streamOf(bytes), { maxBytes: 1000 });
      let lent = '';
      const read = await store.withLocalFile(hash, (file) => {
        lent = file;
        return Promise.resolve(fs.readFileSync(file));
      });
      assert.deepEqual(read, bytes);
      // A temporary copy from an object store is removed afterwards; the folder store lends the original itself.
      assert.equal(fs.existsSync(lent), store.kind === 'folder');
    });

    it('lists every original in hash order, from after a given hash', async () => {
      const listed: string[] = [];
      for await (const object of store.list()) listed.push(object.sha256);
      assert.ok(listed.length >= 6);
      assert.deepEqual(listed, [...listed].sort());
      const from = listed[2]!;
      const rest: string[] = [];
      for await (const object of store.list(from)) rest.push(object.sha256);
      assert.deepEqual(rest, listed.slice(3));
      for await (const object of store.list()) {
        assert.equal((await store.stat(object.sha256))?.sizeBytes, object.sizeBytes);
      }
    });

    it('keeps derivatives beside an original; a missing one is undefined', async () => {
      const { sha256: parent } = await store.put(streamOf(Buffer.from('a photo')), { maxBytes: 1000 });
      assert.equal(await store.getDerivative(parent, 'thumbnail.webp'), undefined);
      await store.putDerivative(parent, 'thumbnail.webp', Buffer.from('a thumbnail'));
      assert.deepEqual(await store.getDerivative(parent, 'thumbnail.webp'), Buffer.from('a thumbnail'));
      assert.throws(() => store.locate('../../etc/passwd'), /not a SHA-256/);
      await assert.rejects(store.putDerivative(parent, '../escape', Buffer.from('x')), /bad derivative name/);
    });

    it('keeps a job result apart from the originals, readable back; a missing one is not_found', async () => {
      const jobId = '0d5a3c7e-2f1b-4c8e-9a6d-1b2c3d4e5f60';
      const local = path.join(subject.dataDir, 'result.pdf');
      fs.writeFileSync(local, 'a report');
      await assert.rejects(
        store.getJobResult(jobId, 'report.pdf'),
        (error: unknown) => error instanceof DomainError && error.code === 'not_found',
      );
      await store.putJobResult(jobId, 'report.pdf', local);
      assert.equal((await readAll(await store.getJobResult(jobId, 'report.pdf'))).toString(), 'a report');
      // A later try of the same job replaces its result.
      fs.writeFileSync(local, 'a report, second try');
      await store.putJobResult(jobId, 'report.pdf', local);
      assert.equal((await readAll(await store.getJobResult(jobId, 'report.pdf'))).toString(), 'a report, second try');
      // Not an original: listing the originals does not show it.
      for await (const object of store.list()) assert.notEqual(object.sha256, jobId);
      await assert.rejects(store.putJobResult('../x', 'report.pdf', local), /not a job id/);
      await assert.rejects(store.putJobResult(jobId, '../report.pdf', local), /not a result file name/);
    });

    it('deletes a job result and nothing else; twice is no error; names outside job-results are refused', async () => {
      const jobId = '6a1f2e3d-4c5b-4a69-8877-665544332211';
      const { sha256: original } = await store.put(streamOf(Buffer.from('an original kept as evidence')), {
        maxBytes: 1000,
      });
      const local = path.join(subject.dataDir, 'bag.tar');
      fs.writeFileSync(local, 'a bag');
      await store.putJobResult(jobId, 'bag.tar', local);
      await store.deleteJobResult(jobId, 'bag.tar');
      await assert.rejects(
        store.getJobResult(jobId, 'bag.tar'),
        (error: unknown) => error instanceof DomainError && error.code === 'not_found',
      );
      await store.deleteJobResult(jobId, 'bag.tar');
      await assert.rejects(store.deleteJobResult('../media', 'bag.tar'), /not a job id/);
      await assert.rejects(store.deleteJobResult(jobId, `../../${original}`), /not a result file name/);
      await assert.rejects(store.deleteJobResult(original, 'x'), /not a job id/);
      assert.equal((await store.stat(original))?.sizeBytes, 'an original kept as evidence'.length);
    });

    it('removes abandoned staging files older than the cut-off, and nothing younger', async () => {
      const staging = path.join(subject.dataDir, 'media', 'tmp');
      fs.mkdirSync(staging, { recursive: true });
      const abandoned = path.join(staging, 'abandoned.partial');
      const inProgress = path.join(staging, 'in-progress.partial');
      fs.writeFileSync(abandoned, 'cut off');
      fs.writeFileSync(inProgress, 'still arriving');
      const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
      fs.utimesSync(abandoned, dayAgo, dayAgo);
      assert.equal(await store.removeAbandonedFiles(new Date(Date.now() - 24 * 60 * 60 * 1000)), 1);
      assert.equal(fs.existsSync(abandoned), false);
      assert.equal(fs.existsSync(inProgress), true);
    });
  });
}

describe('folder store on disk', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-store-'));
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('removes half-written thumbnails older than the cut-off, and keeps finished ones', async () => {
    const store = new FolderEvidenceStore(root);
    const { sha256: hash } = await store.put(Readable.from([Buffer.from('a stored original')]), { maxBytes: 1000 });
    await store.putDerivative(hash, 'thumb-320.webp', Buffer.from('a thumbnail'));
    const derivativeDir = fs
      .readdirSync(path.join(root, 'derivatives'), { recursive: true, withFileTypes: true })
      .find((entry) => entry.isDirectory() && entry.name === hash)!;
    const halfThumbnail = path.join(derivativeDir.parentPath, derivativeDir.name, 'thumb-640.webp.1234.partial');
    fs.writeFileSync(halfThumbnail, 'cut off');
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    fs.utimesSync(halfThumbnail, dayAgo, dayAgo);

    assert.equal(await store.removeAbandonedFiles(new Date(Date.now() - 24 * 60 * 60 * 1000)), 1);
    assert.equal(fs.existsSync(halfThumbnail), false);
    assert.equal(await store.has(hash), true);
    assert.notEqual(await store.getDerivative(hash, 'thumb-320.webp'), undefined);
  });

  it('finds nothing to remove in a store that was never written to', async () => {
    const store = new FolderEvidenceStore(path.join(root, 'empty'));
    assert.equal(await store.removeAbandonedFiles(new Date()), 0);
  });
});

describe('copying a folder store into an S3 store', () => {
  let s3: TestS3Server;
  let folder: FolderEvidenceStore;
  let target: S3EvidenceStore;
  let root: string;
  before(async () => {
    s3 = await startTestS3Server();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-migrate-'));
    folder = new FolderEvidenceStore(path.join(root, 'media'));
    const store = createEvidenceStore(loadConfig({ ARMTRACE_DATA: root, ...s3.env }));
    assert.ok(store instanceof S3EvidenceStore);
    target = store;
  });
  after(async () => {
    target.client.destroy();
    await s3.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('copies and re-hashes every object, resumes by skipping verified ones, and names a changed source', async () => {
    const files = ['one', 'two', 'three'].map((word) => Buffer.from(`original ${word}`));
    for (const bytes of files) await folder.put(streamOf(bytes), { maxBytes: 1000 });
    // An earlier, interrupted run copied the first one.
    await target.put(streamOf(files[0]!), { maxBytes: 1000 });

    const progress: number[] = [];
    const first = await copyStore(folder, target, (done) => progress.push(done));
    assert.deepEqual(
      { ...first, failures: first.failures.length },
      {
        objects: 3,
        bytes: files.reduce((sum, bytes) => sum + bytes.length, 0),
        copied: 2,
        already_present: 1,
        failures: 0,
        ok: true,
      },
    );
    assert.deepEqual(progress, [1, 2, 3]);
    for (const bytes of files)
      assert.deepEqual(await target.rehash(sha256(bytes)), { sha256: sha256(bytes), sizeBytes: bytes.length });

    const again = await copyStore(folder, target);
    assert.equal(again.copied, 0);
    assert.equal(again.already_present, 3);

    // A source file changed on disk is not copied under a name that is no longer its hash.
    const changed = Buffer.from('original four');
    const { sha256: changedHash } = await folder.put(streamOf(changed), { maxBytes: 1000 });
    fs.chmodSync(folder.path(changedHash), 0o644);
    fs.writeFileSync(folder.path(changedHash), 'original 4!!!');
    const damaged = await copyStore(folder, target);
    assert.equal(damaged.ok, false);
    assert.deepEqual(
      damaged.failures.map((failure) => [failure.kind, failure.sha256]),
      [['source_changed', changedHash]],
    );
    assert.equal(await target.has(changedHash), false);
  });
});
