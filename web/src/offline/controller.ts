import { signedOutEvent } from '../api/client';
import type { SyncOperation } from './contract';
import { pruneCache } from './cachePrune';
import { readAndKeep, refreshFieldPacks } from './fieldPack';
import { listOutbox, onOutboxChange, type OutboxEntry } from './outbox';
import { retryDelayMs, syncOutbox, SyncSignedOutError, SyncUnavailableError, type SyncReport } from './sync';
import { browserTransport } from './transport';
import { vault } from './vault';

// The app's one sync loop: sends the outbox when the connection returns (the `online` event), on a timer that
// backs off after failures, after a save was queued, after the store is unlocked, and on "Send now".

export interface SyncStatus {
  syncing: boolean;
  /** The last attempt's failure, in the server's or the browser's words. */
  lastError: string | undefined;
  /** The last attempt failed because the server could not be reached (said in the user's language, not the browser's). */
  lastErrorUnreachable: boolean;
  /** The session ended: the outbox waits for the user to sign in again. */
  signedOut: boolean;
  clockSkewFlagged: boolean;
  lastReport: SyncReport | undefined;
}

let status: SyncStatus = {
  syncing: false,
  lastError: undefined,
  lastErrorUnreachable: false,
  signedOut: false,
  clockSkewFlagged: false,
  lastReport: undefined,
};
const statusListeners = new Set<() => void>();

function setStatus(patch: Partial<SyncStatus>): void {
  status = { ...status, ...patch };
  for (const listener of statusListeners) listener();
}

export const syncStatus = {
  get: (): SyncStatus => status,
  subscribe: (listener: () => void): (() => void) => {
    statusListeners.add(listener);
    return () => statusListeners.delete(listener);
  },
};

// The decrypted outbox, read again only after it changed: pages read it on every GET (offline records overlay).
let entriesCache: Promise<OutboxEntry[]> | undefined;
onOutboxChange(() => {
  entriesCache = undefined;
});
vault.subscribe(() => {
  entriesCache = undefined;
});

/** The outbox entries (empty when locked). */
export function outboxEntries(): Promise<OutboxEntry[]> {
  if (!vault.isUnlocked()) return Promise.resolve([]);
  entriesCache ??= listOutbox(vault).catch(() => []);
  return entriesCache;
}

/** The queued operations, for the offline records overlay. */
export async function queuedOperations(): Promise<SyncOperation[]> {
  return (await outboxEntries()).flatMap((entry) => (entry.operation === undefined ? [] : [entry.operation]));
}

let failures = 0;
let refreshingPacks = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let running: Promise<void> | undefined;
const idleRetryMs = 60_000;

function schedule(delayMs: number): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => void syncNow(), delayMs);
}

/**
 * Sends what waits, now. Resolves when this attempt ended (never rejects: the outcome is in syncStatus).
 *
 * @example
 * await syncNow(); // the "Send now" button
 */
export function syncNow(): Promise<void> {
  if (!vault.isUnlocked()) return Promise.resolve();
  running ??= (async () => {
    setStatus({ syncing: true });
    try {
      const report = await syncOutbox(vault, browserTransport);
      failures = 0;
      setStatus({
        lastError: undefined,
        lastErrorUnreachable: false,
        signedOut: false,
        lastReport: report,
        clockSkewFlagged: report.sent > 0 ? report.clockSkewFlagged : status.clockSkewFlagged,
      });
      const left = (await outboxEntries()).filter((entry) => entry.status === 'pending' || entry.status === 'blocked');
      if (left.length > 0) schedule(idleRetryMs);
      // Back online with nothing waiting: the downloaded field packs follow the server again.
      else if (!refreshingPacks) {
        refreshingPacks = true;
        void refreshFieldPacks(vault, (address) => readAndKeep(vault, address))
          .catch(() => 0)
          // Then what no pack needs and is old, or over the budget, is dropped from the read cache.
          .then(() => pruneCache(vault))
          .catch(() => undefined)
          .finally(() => (refreshingPacks = false));
      }
    } catch (error) {
      failures += 1;
      if (error instanceof SyncSignedOutError) {
        setStatus({ signedOut: true, lastError: error.message });
        window.dispatchEvent(new Event(signedOutEvent));
      } else {
        setStatus({
          lastError: error instanceof Error ? error.message : String(error),
          // fetch itself failing (TypeError) or the server answering that it is unavailable.
          lastErrorUnreachable: error instanceof SyncUnavailableError || error instanceof TypeError,
        });
        schedule(retryDelayMs(failures - 1));
      }
    } finally {
      setStatus({ syncing: false });
      running = undefined;
    }
  })();
  return running;
}

/** Sends soon (after a save was queued), unless the browser knows it is offline. */
export function syncSoon(): void {
  if (navigator.onLine) schedule(1000);
}

let started = false;

/**
 * Starts the automatic sending, once per page.
 *
 * @example
 * startAutoSync(); // in App, after sign-in
 */
export function startAutoSync(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => {
    failures = 0;
    void syncNow();
  });
  vault.subscribe(() => {
    if (vault.getState() === 'unlocked') syncSoon();
  });
  syncSoon();
}

/** After signing in again: the outbox waited for this. */
export function resumeAfterSignIn(): void {
  setStatus({ signedOut: false });
  failures = 0;
  syncSoon();
}
