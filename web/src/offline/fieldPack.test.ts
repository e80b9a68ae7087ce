import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 } from 'uuid';
import {
  downloadFieldPack,
  estimatePackBytes,
  packAddresses,
  readFieldPack,
  refreshFieldPacks,
  seenElsewhereOffline,
} from './fieldPack';
import { rawDatabaseText, testVault } from './testing';

const investigationId = v7();
const siteId = v7();
const itemIds = [v7(), v7()];

/** A stub server: the answers the pages read, by address; every read is kept as the app's reader does. */
function stubServer(): Map<string, unknown> {
  const answers = new Map<string, unknown>();
  answers.set(packAddresses.sitesGeoJson(investigationId), { type: 'FeatureCollection', features: [] });
  answers.set(packAddresses.site(siteId), { id: siteId, name: 'Depot north' });
  answers.set(packAddresses.zones(siteId), { items: [], next_after: null });
  answers.set(packAddresses.siteItems(investigationId, siteId), { items: [{ id: itemIds[0] }], next_after: 'p2' });
  answers.set(packAddresses.siteItems(investigationId, siteId, 'p2'), {
    items: [{ id: itemIds[1] }],
    next_after: null,
  });
  for (const itemId of itemIds)
    answers.set(packAddresses.item(itemId), { id: itemId, site_id: siteId, category: 'small_arm' });
  answers.set(packAddresses.markings(investigationId), {
    items: [
      { id: v7(), investigation_id: investigationId, item_id: itemIds[0], text: 'KL-0471', kind: 'serial' },
      { id: v7(), investigation_id: investigationId, item_id: itemIds[1], text: 'ЗВ 12-8?', kind: 'lot' },
      { id: v7(), investigation_id: investigationId, item_id: itemIds[1], text: 'ABCDEF', kind: 'other' },
    ],
    next_after: null,
  });
  return answers;
}

describe('field pack', () => {
  it('estimates the size from the counts and the share of sites chosen', () => {
    const all = estimatePackBytes({ sites: 10, items: 1000, markings: 2000 }, 10);
    const half = estimatePackBytes({ sites: 10, items: 1000, markings: 2000 }, 5);
    assert.ok(all > half && half > estimatePackBytes({ sites: 10, items: 1000, markings: 2000 }, 0));
    assert.equal(estimatePackBytes({ sites: 0, items: 0, markings: 0 }, 0), 0);
  });

  it('downloads sites, zones, every page of items and the markings, encrypted', async () => {
    const vault = testVault();
    await vault.setUp('a long passphrase');
    const answers = stubServer();
    const read = async (address: string) => {
      if (!answers.has(address)) throw new Error(`unexpected read ${address}`);
      const body = answers.get(address);
      await vault.cachePut(address, body);
      return body;
    };
    const manifest = await downloadFieldPack(vault, read, investigationId, [siteId]);
    assert.deepEqual([manifest.sites, manifest.items, manifest.markings], [1, 2, 3]);
    assert.ok(manifest.bytes > 0);
    assert.deepEqual(await readFieldPack(vault, investigationId), manifest);
    assert.deepEqual(await vault.cacheGet(packAddresses.site(siteId)), { id: siteId, name: 'Depot north' });
    const raw = await rawDatabaseText(vault);
    assert.ok(!raw.includes('Depot north') && !raw.includes('KL-0471'));

    // Refreshed only once it is half an hour old.
    assert.equal(await refreshFieldPacks(vault, read), 0);
    const later = new Date(Date.now() + 31 * 60 * 1000);
    assert.equal(await refreshFieldPacks(vault, read, later), 1);

    // Seen elsewhere offline: near matches (a misread digit, an unread character), not the item itself.
    const nearby = await seenElsewhereOffline(vault, 'KL-O471');
    assert.equal(nearby[0]?.text, 'KL-0471');
    assert.equal((await seenElsewhereOffline(vault, 'ЗВ 12-81'))[0]?.text, 'ЗВ 12-8?');
    assert.deepEqual(await seenElsewhereOffline(vault, 'KL-0471', { excludeItemId: itemIds[0] }), []);
    assert.deepEqual(await seenElsewhereOffline(vault, 'ZZZZZZ'), []);
  });
});
