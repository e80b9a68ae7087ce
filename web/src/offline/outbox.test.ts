import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 } from 'uuid';
import type { SyncOperation } from './contract';
import { WrongPassphraseError } from './crypto';
import {
  countOutbox,
  listOutbox,
  onOutboxChange,
  queueOperation,
  queuePhoto,
  readPhotoBytes,
  removeOutboxEntry,
  totalOf,
} from './outbox';
import { rawDatabaseText, testVault } from './testing';
import { VaultLockedError } from './vault';

const investigationId = '0191a0b2-0000-7000-8000-000000000001';

function siteOperation(name: string): SyncOperation {
  return {
    op_id: v7(),
    captured_at: new Date().toISOString(),
    type: 'site.create',
    investigation_id: investigationId,
    record_id: v7(),
    body: { name, site_type: 'cache', latitude: 36.351111, longitude: 43.178889 },
  };
}

describe('the encrypted outbox', () => {
  it('is absent until a passphrase is set, then unlocked, and locked after a restart', async () => {
    const name = `restart-${v7()}`;
    const vault = testVault(name);
    assert.equal(await vault.load(), 'absent');
    await vault.setUp('a long passphrase');
    assert.equal(vault.getState(), 'unlocked');
    await queueOperation(vault, siteOperation('Cache by the mill'), 'Cache by the mill');
    // A new page (reload, browser restart): same database, key not in memory.
    const reopened = testVault(name);
    assert.equal(await reopened.load(), 'locked');
    assert.throws(() => reopened.keys(), VaultLockedError);
    assert.deepEqual(await countOutbox(reopened), { site: 1 });
    await assert.rejects(reopened.unlock('the wrong passphrase'), WrongPassphraseError);
    assert.equal(reopened.getState(), 'locked');
    await reopened.unlock('a long passphrase');
    const [entry] = await listOutbox(reopened);
    assert.equal(entry?.operation?.body.name, 'Cache by the mill');
  });

  it('keeps no record text, marking or photo byte readable in IndexedDB', async () => {
    const vault = testVault();
    await vault.setUp('a long passphrase');
    await queueOperation(vault, siteOperation('Cache north of the bridge'), 'Cache north of the bridge');
    const photo = new TextEncoder().encode('PHOTO-BYTES-VISIBLE-IF-NOT-ENCRYPTED');
    await queuePhoto(
      vault,
      {
        media_id: v7(),
        investigation_id: investigationId,
        filename: 'rifle-serial-KL-0471.jpg',
        media_type: 'image/jpeg',
        size: photo.byteLength,
        sha256: 'ab'.repeat(32),
        captured_at: new Date().toISOString(),
      },
      photo.buffer,
    );
    await vault.cachePut('/api/v1/sites/x?q=ЗВ 12-81', { name: 'Secret depot' });
    const text = await rawDatabaseText(vault);
    for (const secret of ['bridge', 'KL-0471', 'PHOTO-BYTES', 'Secret depot', '12-81', '36.35'])
      assert.ok(!text.includes(secret), `"${secret}" is not readable in IndexedDB`);
    assert.deepEqual(await countOutbox(vault), { site: 1, photo: 1 });
    assert.deepEqual(await vault.cacheGet('/api/v1/sites/x?q=ЗВ 12-81'), { name: 'Secret depot' });
  });

  it('returns a photo’s bytes and counts and signals changes', async () => {
    const vault = testVault();
    await vault.setUp('a long passphrase');
    let changes = 0;
    const stop = onOutboxChange(() => (changes += 1));
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const mediaId = v7();
    await queuePhoto(
      vault,
      {
        media_id: mediaId,
        investigation_id: investigationId,
        filename: 'a.png',
        media_type: 'image/png',
        size: 4,
        sha256: 'x',
        captured_at: new Date().toISOString(),
      },
      bytes.buffer,
    );
    assert.deepEqual(new Uint8Array(await readPhotoBytes(vault, mediaId)), bytes);
    assert.equal(totalOf(await countOutbox(vault)), 1);
    await removeOutboxEntry(vault, mediaId);
    assert.equal(totalOf(await countOutbox(vault)), 0);
    stop();
    assert.equal(changes, 2);
  });

  it('refuses a short passphrase', async () => {
    await assert.rejects(testVault().setUp('short'), /too short/);
  });
});
