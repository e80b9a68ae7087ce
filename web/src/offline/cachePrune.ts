import { opaqueName } from './crypto';
import { listFieldPacks, manifestAddress, markingsAddress, packListAddress } from './fieldPack';
import type { Vault } from './vault';

// The encrypted read cache keeps every answer read while unlocked (so pages open offline). Left alone it would
// only grow: a record read once months ago, an investigation no longer taken offline. Pruning keeps what the
// downloaded field packs need and drops the rest once it is old, or, oldest first, once the store is over its
// budget. Only the outbox holds unsent work, and pruning never touches it.

export interface CacheUsage {
  /** Kept read answers. */
  entries: number;
  /** Their encrypted size in bytes. */
  bytes: number;
}

export interface PruneOptions {
  now?: Date;
  /** An answer no pack needs is dropped after this long (default: 7 days). */
  maxAgeMs?: number;
  /** The most the answers no pack needs may take together (default: 50 MB). */
  budgetBytes?: number;
}

export interface PruneReport {
  removed: number;
  /** What is left. */
  usage: CacheUsage;
  /** Of which the field packs. */
  packBytes: number;
}

export const defaultCacheMaxAgeMs = 7 * 24 * 60 * 60 * 1000;
export const defaultCacheBudgetBytes = 50 * 1000 * 1000;

/**
 * How much the read cache holds. Needs no passphrase: sizes are kept in plain beside the ciphertext.
 *
 * @example
 * const { entries, bytes } = await cacheUsage(vault);
 */
export async function cacheUsage(vault: Vault): Promise<CacheUsage> {
  let entries = 0;
  let bytes = 0;
  let cursor = await (await vault.database()).transaction('cache').store.openCursor();
  while (cursor !== null) {
    entries += 1;
    bytes += cursor.value.bytes ?? cursor.value.sealed.data.byteLength;
    cursor = await cursor.continue();
  }
  return { entries, bytes };
}

/** The opaque names of everything the downloaded packs keep. */
async function packNames(vault: Vault): Promise<Set<string>> {
  const keys = vault.keys();
  const addresses = [packListAddress];
  for (const manifest of await listFieldPacks(vault)) {
    addresses.push(manifestAddress(manifest.investigation_id), markingsAddress(manifest.investigation_id));
    addresses.push(...(manifest.addresses ?? []));
  }
  return new Set(await Promise.all(addresses.map((address) => opaqueName(keys, address))));
}

/**
 * Drops the kept answers no field pack needs that are older than `maxAgeMs`, then, oldest first, as many more as
 * it takes to bring them under `budgetBytes`. What the packs keep stays whatever its age (it is refreshed with
 * its pack, and removed with it). Needs the key (the packs' addresses are encrypted).
 *
 * @example
 * const { removed, usage } = await pruneCache(vault);
 */
export async function pruneCache(vault: Vault, options: PruneOptions = {}): Promise<PruneReport> {
  const now = (options.now ?? new Date()).getTime();
  const maxAgeMs = options.maxAgeMs ?? defaultCacheMaxAgeMs;
  const budgetBytes = options.budgetBytes ?? defaultCacheBudgetBytes;
  const needed = await packNames(vault);
  const db = await vault.database();
  const loose: { name: string; keptAt: number; bytes: number }[] = [];
  let packBytes = 0;
  for (const record of await db.getAll('cache')) {
    const bytes = record.bytes ?? record.sealed.data.byteLength;
    if (needed.has(record.name)) packBytes += bytes;
    // A record from before kept_at was written counts as old.
    else
      loose.push({ name: record.name, keptAt: record.kept_at === undefined ? 0 : Date.parse(record.kept_at), bytes });
  }
  loose.sort((a, b) => a.keptAt - b.keptAt);
  let looseBytes = loose.reduce((sum, entry) => sum + entry.bytes, 0);
  const doomed: string[] = [];
  for (const entry of loose) {
    if (now - entry.keptAt <= maxAgeMs && looseBytes <= budgetBytes) break;
    doomed.push(entry.name);
    looseBytes -= entry.bytes;
  }
  const transaction = db.transaction('cache', 'readwrite');
  await Promise.all([...doomed.map((name) => transaction.store.delete(name)), transaction.done]);
  return { removed: doomed.length, usage: await cacheUsage(vault), packBytes };
}
