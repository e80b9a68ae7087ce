import type { Middleware } from 'openapi-fetch';
import { queuedOperations } from './controller';
import { overlay } from './localRecords';
import { vault } from './vault';

// Reading offline. Every JSON answer to a GET is kept, encrypted, under an opaque name while the store is
// unlocked; when the server cannot be reached the kept answer is used, with the records saved on this device
// added (so an item can be recorded at a site created offline). Nothing is kept or served while locked.

const addressOf = (request: Request) => {
  const url = new URL(request.url, 'http://local');
  return `${url.pathname}${url.search}`;
};

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
    const isJson = response.headers.get('content-type')?.includes('json') === true;
    if (response.ok && isJson) {
      const body: unknown = await response.clone().json();
      // Keeping it must never break the page.
      void vault.cachePut(address, body).catch(() => undefined);
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
    const kept = await vault.cacheGet(address).catch(() => undefined);
    const local = overlay(address, kept, await queuedOperations());
    return local === undefined ? undefined : jsonResponse(local);
  },
};
