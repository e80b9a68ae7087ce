import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 } from 'uuid';
import type { SyncOperation, SyncRequest, SyncResponse, SyncResult } from './contract';
import {
  countOutbox,
  listOutbox,
  queueLink,
  queueOperation,
  queuePhoto,
  type MediaLinkMeta,
  type OutboxEntry,
  type PhotoMeta,
} from './outbox';
import {
  applyResult,
  batchesOf,
  replaceEntry,
  resend,
  retryDelayMs,
  syncOutbox,
  SyncUnavailableError,
  UploadRefusedError,
  type SyncTransport,
} from './sync';
import { testVault } from './testing';

const investigationId = '0191a0b2-0000-7000-8000-000000000001';

function operation(type: SyncOperation['type'], body: Record<string, unknown>, recordId = v7()): SyncOperation {
  return {
    op_id: v7(),
    captured_at: new Date().toISOString(),
    type,
    investigation_id: investigationId,
    record_id: recordId,
    body,
  };
}

/**
 * A server in memory that follows the contract: idempotent by op_id, dependency order, per-record results;
 * `loseNextResponse` applies a batch and then drops the answer, as a connection cut mid-sync does.
 */
class FakeServer implements SyncTransport {
  records = new Map<string, { type: string; body: Record<string, unknown>; version: number }>();
  applied = new Map<string, SyncResult>();
  media = new Map<string, PhotoMeta>();
  creations = 0;
  uploads = 0;
  /** Active links "media_id→record_id"; a second identical link is refused as the real server does. */
  links = new Set<string>();
  linkAttempts = 0;
  loseNextLinkResponse = false;
  loseNextResponse = false;
  down = false;
  batches: SyncRequest[] = [];

  parentOf(op: SyncOperation): string | undefined {
    const body = op.body;
    return (body.site_id ?? body.item_id) as string | undefined;
  }

  sendBatch(request: SyncRequest): Promise<SyncResponse> {
    if (this.down) return Promise.reject(new SyncUnavailableError('down'));
    this.batches.push(request);
    const results = request.operations.map((op): SyncResult => {
      const previous = this.applied.get(op.op_id);
      if (previous !== undefined) return { ...previous, status: 'already_applied' };
      const parent = this.parentOf(op);
      if (parent !== undefined && !this.records.has(parent))
        return { op_id: op.op_id, status: 'blocked', problem: { code: 'dependency_missing', detail: 'missing' } };
      if (op.body.name === '')
        return {
          op_id: op.op_id,
          status: 'rejected',
          problem: {
            code: 'validation',
            detail: 'x',
            fields: [{ field: 'name', message: 'Required', code: 'too_small' }],
          },
        };
      if (op.type.endsWith('.update') || op.type === 'item.disposal') {
        const record = this.records.get(op.record_id)!;
        if (record.version !== op.base_version)
          return { op_id: op.op_id, status: 'conflict', server_record: record.body, server_version: record.version };
        record.body = { ...record.body, ...op.body };
        record.version += 1;
        const result: SyncResult = { op_id: op.op_id, status: 'applied', record_id: op.record_id };
        this.applied.set(op.op_id, result);
        return result;
      }
      this.records.set(op.record_id, { type: op.type, body: op.body, version: 1 });
      this.creations += 1;
      const result: SyncResult = { op_id: op.op_id, status: 'created', record_id: op.record_id };
      this.applied.set(op.op_id, result);
      return result;
    });
    if (this.loseNextResponse) {
      this.loseNextResponse = false;
      return Promise.reject(new SyncUnavailableError('connection reset'));
    }
    return Promise.resolve({
      server_time: new Date().toISOString(),
      clock_offset_seconds: 0,
      clock_skew_flagged: false,
      results,
    });
  }

  mediaExists(mediaId: string): Promise<boolean> {
    return Promise.resolve(this.media.has(mediaId));
  }

  linkMedia(link: MediaLinkMeta): Promise<void> {
    if (this.down) return Promise.reject(new SyncUnavailableError('down'));
    this.linkAttempts += 1;
    const target = link.item_id ?? link.site_id ?? link.marking_id ?? '';
    if (!this.media.has(link.media_id) || !this.records.has(target))
      return Promise.reject(new UploadRefusedError({ code: 'not_found', detail: 'unknown media or record' }));
    const key = `${link.media_id}→${target}`;
    // Already linked (409 already_exists): the transport treats it as done.
    if (!this.links.has(key)) this.links.add(key);
    if (this.loseNextLinkResponse) {
      this.loseNextLinkResponse = false;
      return Promise.reject(new SyncUnavailableError('connection reset'));
    }
    return Promise.resolve();
  }

  uploadPhoto(photo: PhotoMeta, _bytes: ArrayBuffer): Promise<void> {
    if (photo.sha256 === 'bad') return Promise.reject(new UploadRefusedError({ code: 'hash_mismatch', detail: 'no' }));
    this.uploads += 1;
    this.media.set(photo.media_id, photo);
    return Promise.resolve();
  }
}

function photoMeta(itemId: string, sha256 = 'ab'): PhotoMeta {
  return {
    media_id: v7(),
    investigation_id: investigationId,
    filename: 'p.jpg',
    media_type: 'image/jpeg',
    size: 3,
    sha256,
    captured_at: new Date().toISOString(),
    item_id: itemId,
  };
}

async function unlockedVault() {
  const vault = testVault();
  await vault.setUp('a long passphrase');
  return vault;
}

describe('sync client', () => {
  it('orders operations by dependency and cuts batches of at most 500', () => {
    const entries = [
      operation('marking.create', {}),
      operation('item.create', {}),
      operation('zone.create', {}),
      operation('site.create', {}),
    ].map((op): OutboxEntry => ({
      id: op.op_id,
      kind: 'site',
      created_at: op.captured_at,
      status: 'pending',
      label: '',
      operation: op,
      attempts: 0,
    }));
    const [batch] = batchesOf(entries);
    assert.deepEqual(
      batch!.map((entry) => entry.operation!.type),
      ['site.create', 'zone.create', 'item.create', 'marking.create'],
    );
    const many = Array.from({ length: 1001 }, () => entries[0]!);
    assert.deepEqual(
      batchesOf(many).map((b) => b.length),
      [500, 500, 1],
    );
  });

  it('sends a site, its items and their photos, and empties the outbox', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const site = operation('site.create', { name: 'Depot' });
    // Queued out of order: the item before its site.
    const itemIds = [v7(), v7()];
    for (const itemId of itemIds)
      await queueOperation(
        vault,
        operation('item.create', { site_id: site.record_id, category: 'small_arm' }, itemId),
        'item',
      );
    await queueOperation(vault, site, 'site');
    for (const itemId of itemIds) await queuePhoto(vault, photoMeta(itemId), new Uint8Array([1, 2, 3]).buffer);
    const report = await syncOutbox(vault, server);
    assert.equal(report.stored, 3);
    assert.equal(report.photosUploaded, 2);
    assert.deepEqual(await countOutbox(vault), {});
    assert.equal(server.creations, 3);
  });

  it('creates nothing twice when the answer to a batch is lost and the batch is sent again', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const site = operation('site.create', { name: 'Depot' });
    await queueOperation(vault, site, 'site');
    for (let index = 0; index < 20; index += 1)
      await queueOperation(vault, operation('item.create', { site_id: site.record_id, category: 'small_arm' }), 'item');
    server.loseNextResponse = true;
    await assert.rejects(syncOutbox(vault, server), SyncUnavailableError);
    // Nothing left the outbox: the device never heard back.
    assert.deepEqual(await countOutbox(vault), { site: 1, item: 20 });
    const report = await syncOutbox(vault, server);
    assert.equal(report.stored, 21);
    assert.equal(server.creations, 21);
    assert.deepEqual(await countOutbox(vault), {});
  });

  it('keeps going past a refused record and keeps it with its field errors; a blocked one stays', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const good = operation('site.create', { name: 'Depot' });
    const bad = operation('site.create', { name: '' });
    const orphan = operation('zone.create', { site_id: bad.record_id, name: 'North' });
    await queueOperation(vault, bad, 'bad');
    await queueOperation(vault, good, 'good');
    await queueOperation(vault, orphan, 'orphan');
    const report = await syncOutbox(vault, server);
    assert.deepEqual([report.stored, report.rejected, report.blocked], [1, 1, 1]);
    const left = await listOutbox(vault);
    const refused = left.find((entry) => entry.id === bad.op_id)!;
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.problem?.fields?.[0]?.field, 'name');
    assert.equal(left.find((entry) => entry.id === orphan.op_id)?.status, 'blocked');
    // Corrected: sent again under a new op_id with the same record id; the blocked zone follows.
    await replaceEntry(vault, refused, resend(refused, { name: 'Depot 2' }));
    const second = await syncOutbox(vault, server);
    assert.equal(second.stored, 2);
    assert.deepEqual(await countOutbox(vault), {});
  });

  it('keeps a correction made against an older version as a conflict, and "keep mine" resends on the server’s version', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const itemId = v7();
    server.records.set(itemId, { type: 'item.create', body: { model: 'AK' }, version: 2 });
    const update = { ...operation('item.update', { model: 'AKM' }, itemId), base_version: 1 };
    await queueOperation(vault, update, 'update');
    const report = await syncOutbox(vault, server);
    assert.equal(report.conflicts, 1);
    const [conflict] = await listOutbox(vault);
    assert.ok(conflict !== undefined);
    assert.equal(conflict.status, 'conflict');
    assert.deepEqual(conflict.conflict, { server_record: { model: 'AK' }, server_version: 2 });
    assert.equal(server.records.get(itemId)?.body.model, 'AK', 'nothing was overwritten');
    await replaceEntry(vault, conflict, resend(conflict, conflict.operation!.body, conflict.conflict.server_version));
    await syncOutbox(vault, server);
    assert.equal(server.records.get(itemId)?.body.model, 'AKM');
    assert.deepEqual(await countOutbox(vault), {});
  });

  it('does not upload a photo again that reached the server, and keeps one whose hash the server refused', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const itemId = v7();
    server.records.set(itemId, { type: 'item.create', body: {}, version: 1 });
    const arrived = photoMeta(itemId);
    server.media.set(arrived.media_id, arrived);
    await queuePhoto(vault, arrived, new Uint8Array([1]).buffer);
    await queuePhoto(vault, photoMeta(itemId, 'bad'), new Uint8Array([2]).buffer);
    const report = await syncOutbox(vault, server);
    assert.equal(server.uploads, 0);
    assert.equal(report.photosUploaded, 1);
    const [left] = await listOutbox(vault);
    assert.ok(left !== undefined);
    assert.equal(left.status, 'rejected');
    assert.equal(left.problem?.code, 'hash_mismatch');
  });

  it('waits with a photo until its item is on the server', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const item = operation('item.create', { site_id: v7(), category: 'small_arm' });
    await queueOperation(vault, item, 'item'); // blocked: its site is unknown
    await queuePhoto(vault, photoMeta(item.record_id), new Uint8Array([1]).buffer);
    const report = await syncOutbox(vault, server);
    assert.equal(report.photosUploaded, 0);
    assert.deepEqual(await countOutbox(vault), { item: 1, photo: 1 });
  });

  it('links a photo uploaded online to an item still in the outbox after the item is stored, exactly once', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const siteId = v7();
    server.records.set(siteId, { type: 'site.create', body: {}, version: 1 });
    // The photo reached the server while its item waited on the device.
    const uploaded = photoMeta(v7());
    server.media.set(uploaded.media_id, uploaded);
    const item = operation('item.create', { site_id: siteId, category: 'small_arm' });
    const blockedSite = v7();
    const blockedItem = operation('item.create', { site_id: blockedSite, category: 'small_arm' });
    await queueOperation(vault, item, 'item');
    await queueOperation(vault, blockedItem, 'item');
    const link = (itemId: string): MediaLinkMeta => ({
      link_id: v7(),
      media_id: uploaded.media_id,
      investigation_id: investigationId,
      item_id: itemId,
      captured_at: new Date().toISOString(),
    });
    await queueLink(vault, link(item.record_id), 'p.jpg');
    await queueLink(vault, link(blockedItem.record_id), 'p.jpg');
    assert.deepEqual(await countOutbox(vault), { item: 2, photo: 2 });
    // The first link's answer is lost: it stays and is sent again, and the server still has one link.
    server.loseNextLinkResponse = true;
    await assert.rejects(syncOutbox(vault, server), SyncUnavailableError);
    assert.equal(server.records.has(item.record_id), true, 'the item was stored before its link was tried');
    assert.deepEqual(await countOutbox(vault), { item: 1, photo: 2 });
    const report = await syncOutbox(vault, server);
    assert.equal(report.photosLinked, 1);
    assert.deepEqual([...server.links], [`${uploaded.media_id}→${item.record_id}`]);
    // The link to the item whose site is unknown waits with it, untried.
    assert.equal(server.linkAttempts, 2);
    assert.deepEqual(await countOutbox(vault), { item: 1, photo: 1 });
    server.records.set(blockedSite, { type: 'site.create', body: {}, version: 1 });
    const last = await syncOutbox(vault, server);
    assert.equal(last.photosLinked, 1);
    assert.equal(server.links.size, 2);
    assert.deepEqual(await countOutbox(vault), {});
  });

  it('uploads a photo queued for an item in the outbox after that item, and only once', async () => {
    const vault = await unlockedVault();
    const server = new FakeServer();
    const siteId = v7();
    server.records.set(siteId, { type: 'site.create', body: {}, version: 1 });
    const item = operation('item.create', { site_id: siteId, category: 'small_arm' });
    await queueOperation(vault, item, 'item');
    const photo = photoMeta(item.record_id);
    await queuePhoto(vault, photo, new Uint8Array([1]).buffer);
    server.loseNextResponse = true;
    await assert.rejects(syncOutbox(vault, server), SyncUnavailableError);
    assert.equal(server.uploads, 0, 'no photo before its item is confirmed');
    const report = await syncOutbox(vault, server);
    assert.deepEqual([report.stored, report.photosUploaded], [1, 1]);
    await syncOutbox(vault, server);
    assert.equal(server.uploads, 1);
    assert.equal(server.media.get(photo.media_id)?.item_id, item.record_id);
  });

  it('maps results to outbox changes', () => {
    const entry: OutboxEntry = { id: 'x', kind: 'item', created_at: '', status: 'pending', label: '', attempts: 0 };
    for (const status of ['created', 'applied', 'already_applied'] as const)
      assert.equal(applyResult(entry, { op_id: 'x', status }, 'now'), 'remove');
    const blocked = applyResult(entry, { op_id: 'x', status: 'blocked' }, 'now');
    assert.notEqual(blocked, 'remove');
    assert.equal(blocked !== 'remove' && blocked.attempts, 1);
  });

  it('backs off exponentially up to five minutes', () => {
    assert.equal(
      retryDelayMs(0, () => 0),
      5000,
    );
    assert.equal(
      retryDelayMs(3, () => 0),
      40_000,
    );
    assert.equal(
      retryDelayMs(20, () => 0),
      300_000,
    );
    assert.equal(
      retryDelayMs(0, () => 1),
      6000,
    );
  });
});
