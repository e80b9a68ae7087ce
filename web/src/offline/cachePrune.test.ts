import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 } from 'uuid';
import { cacheUsage, pruneCache } from './cachePrune';
import { downloadFieldPack, listFieldPacks, packAddresses, removeFieldPack, seenElsewhereOffline } from './fieldPack';
import { testVault } from './testing';
import type { Vault } from './vault';

const investigationId = v7();
const siteIds = [v7(), v7()];
const itemIds = [v7(), v7()];
const day = 24 * 60 * 60 * 1000;

/** A stub server with two sites of one item each; every read is kept as the app's reader does. */
function reader(vault: Vault) {
  const answers = new Map<string, unknown>();
  answers.set(packAddresses.sitesGeoJson(investigationId), { type: 'FeatureCollection', features: [] });
  siteIds.forEach((siteId, index) => {
    answers.set(packAddresses.site(siteId), { id: siteId, name: `Site ${index}` });
    answers.set(packAddresses.zones(siteId), { items: [], next_after: null });
    answers.set(packAddresses.siteItems(investigationId, siteId), {
      items: [{ id: itemIds[index] }],
      next_after: null,
    });
    answers.set(packAddresses.item(itemIds[index]!), { id: itemIds[index], site_id: siteId, category: 'small_arm' });
  });
  answers.set(packAddresses.markings(investigationId), {
    items: [{ id: v7(), investigation_id: investigationId, item_id: itemIds[0], text: 'KL-0471', kind: 'serial' }],
    next_after: null,
  });
  return async (address: string) => {
    if (!answers.has(address)) throw new Error(`unexpected read ${address}`);
    await vault.cachePut(address, answers.get(address));
    return answers.get(address);
  };
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 3));

describe('read cache pruning', () => {
  it('keeps what the packs need, drops old loose answers, and keeps the loose ones under a budget, oldest first', async () => {
    const vault = testVault();
    await vault.setUp('a long passphrase');
    await downloadFieldPack(vault, reader(vault), investigationId, siteIds);
    const packed = await cacheUsage(vault);
    assert.ok(packed.entries > 0 && packed.bytes > 0);

    // Pages read in passing: three answers of about 2 kB each, kept one after the other.
    const loose = ['/api/v1/investigations/a/items?limit=50', '/api/v1/items/b', '/api/v1/items/c'];
    for (const address of loose) {
      await vault.cachePut(address, { filler: 'x'.repeat(2000) });
      await pause();
    }
    const before = await cacheUsage(vault);
    assert.equal(before.entries, packed.entries + 3);

    // Fresh and within the budget: nothing goes.
    assert.equal((await pruneCache(vault)).removed, 0);
    // Over a budget of about two of them: the oldest goes first.
    const budget = await pruneCache(vault, { budgetBytes: 4500 });
    assert.equal(budget.removed, 1);
    assert.equal(await vault.cacheGet(loose[0]!), undefined);
    assert.ok((await vault.cacheGet(loose[2]!)) !== undefined);
    assert.ok(budget.usage.bytes < before.bytes);
    assert.ok(budget.packBytes > 0 && budget.packBytes <= budget.usage.bytes);

    // A week later the loose answers are gone; the pack is whole, however old.
    const later = await pruneCache(vault, { now: new Date(Date.now() + 8 * day) });
    assert.equal(later.removed, 2);
    assert.deepEqual(later.usage, packed);
    assert.deepEqual(await vault.cacheGet(packAddresses.item(itemIds[1]!)), {
      id: itemIds[1],
      site_id: siteIds[1],
      category: 'small_arm',
    });
  });

  it('drops what a refreshed pack no longer holds, and everything of a pack removed from the device', async () => {
    const vault = testVault();
    await vault.setUp('a long passphrase');
    const read = reader(vault);
    await downloadFieldPack(vault, read, investigationId, siteIds);
    const both = await cacheUsage(vault);
    // Downloaded again with only the first site: the second site's answers go at once.
    await downloadFieldPack(vault, read, investigationId, [siteIds[0]!]);
    assert.equal(await vault.cacheGet(packAddresses.site(siteIds[1]!)), undefined);
    assert.equal(await vault.cacheGet(packAddresses.item(itemIds[1]!)), undefined);
    assert.ok((await vault.cacheGet(packAddresses.item(itemIds[0]!))) !== undefined);
    assert.ok((await cacheUsage(vault)).entries < both.entries);
    assert.equal((await seenElsewhereOffline(vault, 'KL-O471'))[0]?.text, 'KL-0471');

    // The investigation is no longer taken offline: its index and answers go, nothing of it is served offline.
    await removeFieldPack(vault, investigationId);
    assert.deepEqual(await listFieldPacks(vault), []);
    assert.deepEqual(await seenElsewhereOffline(vault, 'KL-O471'), []);
    assert.equal(await vault.cacheGet(packAddresses.item(itemIds[0]!)), undefined);
    // Only the (empty) list of packs is left.
    assert.equal((await cacheUsage(vault)).entries, 1);
  });
});
