import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DiskMediaStore } from './store.js';

describe('media store on disk', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-store-'));
  });
  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('removes unfinished uploads and thumbnails older than the cut-off, and nothing else', async () => {
    const store = new DiskMediaStore(root);
    const { sha256 } = await store.put(Readable.from([Buffer.from('a stored original')]), { maxBytes: 1000 });
    await store.putDerivative(sha256, 'thumb-320.webp', Buffer.from('a thumbnail'));
    // An upload cut off by a stop, a thumbnail cut off mid-write, and an upload still in progress.
    const abandonedUpload = path.join(root, 'tmp', 'abandoned.partial');
    const derivativeDir = fs
      .readdirSync(path.join(root, 'derivatives'), { recursive: true, withFileTypes: true })
      .find((entry) => entry.isDirectory() && entry.name === sha256)!;
    const halfThumbnail = path.join(derivativeDir.parentPath, derivativeDir.name, 'thumb-640.webp.1234.partial');
    const inProgress = path.join(root, 'tmp', 'in-progress.partial');
    fs.writeFileSync(abandonedUpload, 'cut off');
    fs.writeFileSync(halfThumbnail, 'cut off');
    fs.writeFileSync(inProgress, 'still arriving');
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
    fs.utimesSync(abandonedUpload, dayAgo, dayAgo);
    fs.utimesSync(halfThumbnail, dayAgo, dayAgo);

    const removed = await store.removeAbandonedFiles(new Date(Date.now() - 24 * 60 * 60 * 1000));

    assert.equal(removed, 2);
    assert.equal(fs.existsSync(abandonedUpload), false);
    assert.equal(fs.existsSync(halfThumbnail), false);
    assert.equal(fs.existsSync(inProgress), true);
    assert.equal(await store.has(sha256), true);
    assert.notEqual(await store.getDerivative(sha256, 'thumb-320.webp'), undefined);
  });

  it('finds nothing to remove in a store that was never written to', async () => {
    const store = new DiskMediaStore(path.join(root, 'empty'));
    assert.equal(await store.removeAbandonedFiles(new Date()), 0);
  });
});
