import { describeDifferences, matchMarking } from '../../../src/parsing/marking-distance.js';
import { foldMarking } from '../../../src/parsing/marking-text.js';
import { parseMarkingQuery } from '../../../src/parsing/marking-query.js';
import type { Vault } from './vault';

// The field pack: what capture needs of an investigation, downloaded into the encrypted store before going where
// there is no connection. Each answer is kept under the very address the pages read, so they find it offline
// through the offline reads (localReads.ts); the investigation's markings are kept as one index, for a
// seen-elsewhere that works offline against the downloaded investigations.

type Json = Record<string, unknown>;

export interface PackedMarking {
  id: string;
  investigation_id: string;
  item_id: string;
  text: string;
  kind: string;
}

export interface FieldPackManifest {
  investigation_id: string;
  site_ids: string[];
  sites: number;
  items: number;
  markings: number;
  bytes: number;
  downloaded_at: string;
  /** Every address the pack kept: what pruning the read cache leaves alone (absent in packs made before). */
  addresses?: string[];
}

/** Reads one API address (path and query) as JSON; the app's goes through the caching API client. */
export type JsonReader = (address: string) => Promise<unknown>;

export const packListAddress = 'fieldpack:list';
export const manifestAddress = (investigationId: string) => `fieldpack:${investigationId}`;
export const markingsAddress = (investigationId: string) => `fieldpack:${investigationId}:markings`;

/** The addresses the pages read, spelled exactly as they spell them (the cache is keyed by the address). */
export const packAddresses = {
  sitesGeoJson: (investigationId: string) => `/api/v1/investigations/${investigationId}/sites.geojson`,
  site: (siteId: string) => `/api/v1/sites/${siteId}`,
  zones: (siteId: string) => `/api/v1/sites/${siteId}/zones?limit=500`,
  siteItems: (investigationId: string, siteId: string, after?: string) =>
    `/api/v1/investigations/${investigationId}/items?site_id=${siteId}&limit=500${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`,
  item: (itemId: string) => `/api/v1/items/${itemId}`,
  markings: (investigationId: string, after?: string) =>
    `/api/v1/investigations/${investigationId}/markings?limit=500${after === undefined ? '' : `&after=${encodeURIComponent(after)}`}`,
};

/**
 * The download's size, estimated from the investigation's counts before anything else is read: the chosen
 * share of the items (list row and detail), every marking (the seen-elsewhere index), the sites and zones.
 *
 * @example
 * estimatePackBytes({ sites: 40, items: 1200, markings: 2500 }, 10) // ≈ 2.3 MB
 */
export function estimatePackBytes(
  counts: { sites: number; items: number; markings: number },
  chosenSites: number,
): number {
  const share = counts.sites === 0 ? 0 : Math.min(1, chosenSites / counts.sites);
  return Math.round(counts.sites * 600 + chosenSites * 1500 + counts.items * share * 2600 + counts.markings * 650);
}

const sizeOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

async function readAll(
  read: JsonReader,
  addressOf: (after?: string) => string,
): Promise<{ rows: Json[]; bytes: number }> {
  const rows: Json[] = [];
  let bytes = 0;
  let after: string | undefined;
  for (;;) {
    const page = (await read(addressOf(after))) as { items: Json[]; next_after: string | null };
    bytes += sizeOf(page);
    rows.push(...page.items);
    if (page.next_after === null) return { rows, bytes };
    after = page.next_after;
  }
}

/**
 * Downloads the pack. `read` must keep each answer under its address (the app's caching API client does); the
 * marking index and the manifest are kept here.
 *
 * @example
 * await downloadFieldPack(vault, readThroughApi, investigationId, chosenSiteIds, (done, total) => show(done, total));
 */
export async function downloadFieldPack(
  vault: Vault,
  readAddress: JsonReader,
  investigationId: string,
  siteIds: readonly string[],
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<FieldPackManifest> {
  const previous = await readFieldPack(vault, investigationId);
  const addresses: string[] = [];
  const read: JsonReader = (address) => {
    addresses.push(address);
    return readAddress(address);
  };
  let bytes = sizeOf(await read(packAddresses.sitesGeoJson(investigationId)));
  let items = 0;
  let step = 0;
  const total = siteIds.length + 1;
  for (const siteId of siteIds) {
    bytes += sizeOf(await read(packAddresses.site(siteId)));
    bytes += sizeOf(await read(packAddresses.zones(siteId)));
    const siteItems = await readAll(read, (after) => packAddresses.siteItems(investigationId, siteId, after));
    bytes += siteItems.bytes;
    for (const item of siteItems.rows) bytes += sizeOf(await read(packAddresses.item(String(item.id))));
    items += siteItems.rows.length;
    onProgress((step += 1), total);
  }
  const markings = await readAll(read, (after) => packAddresses.markings(investigationId, after));
  const index: PackedMarking[] = markings.rows.map((marking) => ({
    id: String(marking.id),
    investigation_id: String(marking.investigation_id),
    item_id: String(marking.item_id),
    text: String(marking.text),
    kind: String(marking.kind),
  }));
  await vault.cachePut(markingsAddress(investigationId), index);
  bytes += markings.bytes;
  onProgress((step += 1), total);
  const manifest: FieldPackManifest = {
    investigation_id: investigationId,
    site_ids: [...siteIds],
    sites: siteIds.length,
    items,
    markings: index.length,
    bytes,
    downloaded_at: new Date().toISOString(),
    addresses,
  };
  await vault.cachePut(manifestAddress(investigationId), manifest);
  const packs = new Set((await vault.cacheGet<string[]>(packListAddress)) ?? []);
  packs.add(investigationId);
  await vault.cachePut(packListAddress, [...packs]);
  // What the last download kept and this one did not (a site no longer chosen, an item moved or gone) is dropped.
  const kept = new Set(addresses);
  for (const address of previous?.addresses ?? []) if (!kept.has(address)) await vault.cacheDelete(address);
  return manifest;
}

/**
 * Removes an investigation's pack from the device: every answer it kept, its marking index and its manifest.
 * Records still in the outbox are not touched.
 *
 * @example
 * await removeFieldPack(vault, investigationId);
 */
export async function removeFieldPack(vault: Vault, investigationId: string): Promise<void> {
  const manifest = await readFieldPack(vault, investigationId);
  for (const address of manifest?.addresses ?? []) await vault.cacheDelete(address);
  await vault.cacheDelete(markingsAddress(investigationId));
  await vault.cacheDelete(manifestAddress(investigationId));
  const packs = ((await vault.cacheGet<string[]>(packListAddress)) ?? []).filter((id) => id !== investigationId);
  await vault.cachePut(packListAddress, packs);
}

/** The investigations whose packs are on this device. */
export async function listFieldPacks(vault: Vault): Promise<FieldPackManifest[]> {
  const packs = (await vault.cacheGet<string[]>(packListAddress)) ?? [];
  const manifests = await Promise.all(packs.map((id) => readFieldPack(vault, id)));
  return manifests.filter((manifest): manifest is FieldPackManifest => manifest !== undefined);
}

/** The pack downloaded for an investigation, if any. */
export function readFieldPack(vault: Vault, investigationId: string): Promise<FieldPackManifest | undefined> {
  return vault.cacheGet<FieldPackManifest>(manifestAddress(investigationId));
}

/**
 * Reads an address from the server and keeps the answer, encrypted, under that address (the app's reader).
 *
 * @example
 * await downloadFieldPack(vault, (address) => readAndKeep(vault, address), investigationId, siteIds);
 */
export async function readAndKeep(vault: Vault, address: string): Promise<unknown> {
  const response = await fetch(address, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${response.status} ${response.statusText}: ${address}`);
  const body: unknown = await response.json();
  await vault.cachePut(address, body);
  return body;
}

/** Packs older than this are downloaded again when the connection is back. */
const refreshAfterMs = 30 * 60 * 1000;

/**
 * Downloads again every pack older than half an hour (after a sync, when the connection is back), so what the
 * device shows offline follows the server. Returns how many were refreshed.
 *
 * @example
 * await refreshFieldPacks(vault, (address) => readAndKeep(vault, address));
 */
export async function refreshFieldPacks(vault: Vault, read: JsonReader, now: Date = new Date()): Promise<number> {
  let refreshed = 0;
  for (const investigationId of (await vault.cacheGet<string[]>(packListAddress)) ?? []) {
    const manifest = await readFieldPack(vault, investigationId);
    if (manifest === undefined) continue;
    if (now.getTime() - new Date(manifest.downloaded_at).getTime() < refreshAfterMs) continue;
    await downloadFieldPack(vault, read, investigationId, manifest.site_ids);
    refreshed += 1;
  }
  return refreshed;
}

/** Every downloaded pack's marking index. */
async function packedMarkings(vault: Vault): Promise<PackedMarking[]> {
  const packs = (await vault.cacheGet<string[]>(packListAddress)) ?? [];
  const indexes = await Promise.all(packs.map((id) => vault.cacheGet<PackedMarking[]>(markingsAddress(id))));
  return indexes.flatMap((index) => index ?? []);
}

/**
 * Seen elsewhere with no connection: the downloaded markings that match the text being typed, closest first, with
 * the same weighted distance and explanation as the server (within one arbitrary edit or cheaper differences).
 *
 * @example
 * await seenElsewhereOffline(vault, 'KL-047', { excludeItemId }) // [{ text: 'KL-0471', score: 0.9, … }]
 */
export async function seenElsewhereOffline(
  vault: Vault,
  text: string,
  options: { excludeItemId?: string; limit?: number } = {},
): Promise<(PackedMarking & { score: number; cost: number; explanation: string })[]> {
  if (text.replace(/[^\p{L}\p{N}]/gu, '').length < 3) return [];
  let query;
  try {
    query = parseMarkingQuery(`${text.replace(/[\\*[\]]/g, (character) => `\\${character}`)}*`);
  } catch {
    return [];
  }
  const maxCost = 1;
  const hits = [];
  for (const marking of await packedMarkings(vault)) {
    if (marking.item_id === options.excludeItemId) continue;
    const match = matchMarking(query, foldMarking(marking.text));
    if (match.cost > maxCost) continue;
    hits.push({
      ...marking,
      score: match.score,
      cost: match.cost,
      explanation: describeDifferences(match.differences),
    });
  }
  return hits.sort((a, b) => a.cost - b.cost || a.text.localeCompare(b.text)).slice(0, options.limit ?? 8);
}
