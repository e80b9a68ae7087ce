import type { Middleware } from 'openapi-fetch';
import { queuedOperations } from './controller';
import { packAddresses, seenElsewhereOffline } from './fieldPack';
import { overlay } from './localRecords';
import { vault } from './vault';

// Reading offline. Every JSON answer to a GET is kept, encrypted, under an opaque name while the store is
// unlocked; when the server cannot be reached the kept answer is used, with the records saved on this device
// added (so an item can be recorded at a site created offline). Nothing is kept or served while locked.

const addressOf = (request: Request) => {
  const url = new URL(request.url, 'http://local');
  return `${url.pathname}${url.search}`;
};

const notKept = /\/seen-elsewhere|\/audit|[?&]q=/;

const jsonResponse = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', 'x-armtrace-offline': 'true' },
  });

/**
 * The openapi-fetch middleware that keeps and serves reads for offline use.
 *
 * @example
 * api.use(offlineReads);
 */
export const offlineReads: Middleware = {
  async onResponse({ request, response }) {
    if (request.method !== 'GET' || !vault.isUnlocked()) return undefined;
    // Not the API, or an answer this middleware made itself (onError's answer passes through here too).
    if (!request.url.includes('/api/v1/') || response.headers.has('x-armtrace-offline')) return undefined;
    const address = addressOf(request);
    // Free-text searches and history are not what capture reads offline; keeping each would only grow the store.
    if (notKept.test(address)) return undefined;
    const isJson = response.headers.get('content-type')?.includes('json') === true;
    if (response.ok && isJson) {
      const body: unknown = await response.clone().json();
      // Kept before the page goes on, so a connection lost a moment later still finds it; never breaks the page.
      await vault.cachePut(address, body).catch(() => undefined);
      const operations = await queuedOperations();
      const shown = overlay(address, body, operations);
      return shown === body ? undefined : jsonResponse(shown);
    }
    if (response.status === 404) {
      const local = overlay(address, undefined, await queuedOperations());
      return local === undefined ? undefined : jsonResponse(local);
    }
    return undefined;
  },
  async onError({ request }) {
    if (request.method !== 'GET' || !vault.isUnlocked()) return undefined;
    const address = addressOf(request);
    if (address.startsWith('/api/v1/markings/seen-elsewhere?')) return jsonResponse(await seenElsewhereHits(address));
    const kept = await vault.cacheGet(address).catch(() => undefined);
    const local = overlay(address, kept, await queuedOperations());
    return local === undefined ? undefined : jsonResponse(local);
  },
};

type Json = Record<string, unknown>;

/** Seen elsewhere from the downloaded field packs, shaped as the server answers it. */
async function seenElsewhereHits(address: string): Promise<{ items: Json[] }> {
  const query = new URL(address, 'http://local').searchParams;
  const limit = Number(query.get('limit') ?? '8');
  const found = await seenElsewhereOffline(vault, query.get('text') ?? '', {
    excludeItemId: query.get('item_id') ?? undefined,
    limit,
  });
  const items: Json[] = [];
  for (const hit of found) {
    const item = await vault.cacheGet<Json>(packAddresses.item(hit.item_id)).catch(() => undefined);
    const siteId = typeof item?.site_id === 'string' ? item.site_id : undefined;
    const site = siteId === undefined ? undefined : await vault.cacheGet<Json>(packAddresses.site(siteId));
    items.push({
      id: hit.id,
      investigation_id: hit.investigation_id,
      item_id: hit.item_id,
      text: hit.text,
      normalized: '',
      kind: hit.kind,
      position: null,
      script: null,
      legibility: 'legible',
      created_by: '00000000-0000-0000-0000-000000000000',
      created_at: '',
      updated_at: '',
      version: 0,
      archived_at: null,
      archive_reason: null,
      item: {
        id: hit.item_id,
        external_ref: item?.external_ref ?? null,
        category: item?.category ?? 'other',
        model: item?.model ?? null,
      },
      site: { id: siteId ?? '', name: site?.name ?? '', external_ref: site?.external_ref ?? null },
      score: hit.score,
      cost: hit.cost,
      differences: [],
      explanation: hit.explanation,
    });
  }
  return { items };
}
