import { v7 } from 'uuid';
import {
  dependencyRank,
  doneStatuses,
  maxBatchSize,
  type SyncOperation,
  type SyncProblem,
  type SyncRequest,
  type SyncResponse,
  type SyncResult,
} from './contract';
import {
  listOutbox,
  readPhotoBytes,
  removeOutboxEntry,
  updateOutboxEntry,
  waitingRecordIdsOf,
  type MediaLinkMeta,
  type OutboxEntry,
  type PhotoMeta,
} from './outbox';
import { packAddresses } from './fieldPack';
import type { Vault } from './vault';

// Sends the outbox: operations in dependency order in batches of at most 500, then photos with tus. Each
// per-record answer is applied on its own, so one refused record never holds back the others.

/** The server could not be reached (or answered with a gateway or server error): try again later. */
export class SyncUnavailableError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'SyncUnavailableError';
  }
}

/** The session ended: the outbox stays until the user signs in again. */
export class SyncSignedOutError extends Error {
  constructor() {
    super('The session ended: sign in again to send the waiting records.');
    this.name = 'SyncSignedOutError';
  }
}

/** The server refused the upload for a reason that retrying will not change (e.g. hash mismatch). */
export class UploadRefusedError extends Error {
  constructor(readonly problem: SyncProblem) {
    super(problem.detail);
    this.name = 'UploadRefusedError';
  }
}

/** How the engine talks to the server; the browser one is in transport.ts, tests pass their own. */
export interface SyncTransport {
  sendBatch(request: SyncRequest): Promise<SyncResponse>;
  /** Whether the media record exists already (an upload whose last response was lost). */
  mediaExists(mediaId: string): Promise<boolean>;
  uploadPhoto(photo: PhotoMeta, bytes: ArrayBuffer, onProgress: (sent: number, total: number) => void): Promise<void>;
  /** Links an uploaded photo to a record; resolves too when that very link exists already (a lost answer). */
  linkMedia(link: MediaLinkMeta): Promise<void>;
}

export interface SyncReport {
  sent: number;
  stored: number;
  rejected: number;
  blocked: number;
  conflicts: number;
  photosUploaded: number;
  /** Photos on the server linked to records that were in the outbox. */
  photosLinked: number;
  clockSkewFlagged: boolean;
}

const sendable = (entry: OutboxEntry) => entry.status === 'pending' || entry.status === 'blocked';

/**
 * Orders operations as the server applies them (site → zone → item → marking → the rest), oldest first within a
 * rank, and cuts them into batches of at most `size`.
 *
 * @example
 * batchesOf(entries) // [[siteOp, zoneOp, itemOp, …], …]
 */
export function batchesOf(entries: readonly OutboxEntry[], size: number = maxBatchSize): OutboxEntry[][] {
  const operations = entries
    .filter((entry) => entry.operation !== undefined)
    .sort(
      (a, b) =>
        dependencyRank[a.operation!.type] - dependencyRank[b.operation!.type] ||
        a.created_at.localeCompare(b.created_at) ||
        a.id.localeCompare(b.id),
    );
  const batches: OutboxEntry[][] = [];
  for (let start = 0; start < operations.length; start += size) batches.push(operations.slice(start, start + size));
  return batches;
}

/**
 * What one per-record result does to its outbox entry: `remove` when the server has the record, else the entry
 * as it must be kept (rejected with its field errors, blocked, or in conflict with the server's version).
 *
 * @example
 * applyResult(entry, { op_id, status: 'created' }) // 'remove'
 */
export function applyResult(entry: OutboxEntry, result: SyncResult, now: string): 'remove' | OutboxEntry {
  if (doneStatuses.has(result.status)) return 'remove';
  const kept: OutboxEntry = { ...entry, attempts: entry.attempts + 1, last_attempt_at: now };
  delete kept.problem;
  delete kept.conflict;
  if (result.status === 'conflict') {
    kept.status = 'conflict';
    kept.conflict = { server_record: result.server_record ?? {}, server_version: result.server_version ?? 0 };
  } else if (result.status === 'rejected' || result.status === 'blocked') {
    kept.status = result.status;
  }
  if (result.problem !== undefined) kept.problem = result.problem;
  return kept;
}

type Page = { items: Record<string, unknown>[]; next_after: string | null };

/**
 * Keeps the record the server stored in the encrypted read cache, where its page reads it: once it leaves the
 * outbox the offline overlay no longer shows it, and a site or item made offline must stay usable offline (the next
 * item at that site) even though its page was never read from the server.
 */
async function keepStoredRecord(vault: Vault, result: SyncResult): Promise<void> {
  const record = result.record;
  const id = result.record_id;
  if (record === undefined || id === undefined) return;
  if (result.record_type === 'site') {
    await vault.cachePut(packAddresses.site(id), record);
    const zones = packAddresses.zones(id);
    if ((await vault.cacheGet<Page>(zones)) === undefined) await vault.cachePut(zones, { items: [], next_after: null });
  } else if (result.record_type === 'item') {
    await vault.cachePut(packAddresses.item(id), record);
  } else if (result.record_type === 'zone' && typeof record.site_id === 'string') {
    const zones = packAddresses.zones(record.site_id);
    const page = (await vault.cacheGet<Page>(zones)) ?? { items: [], next_after: null };
    if (!page.items.some((zone) => zone.id === id))
      await vault.cachePut(zones, { ...page, items: [...page.items, record] });
  }
}

/** Whether a photo or link still waits for the record it is linked to (that record is in the outbox). */
function waitsForRecord(
  target: Pick<PhotoMeta, 'item_id' | 'site_id' | 'marking_id'>,
  waitingRecordIds: ReadonlySet<string>,
): boolean {
  return [target.item_id, target.site_id, target.marking_id].some((id) => id !== undefined && waitingRecordIds.has(id));
}

/**
 * Sends everything sendable once. Throws SyncUnavailableError / SyncSignedOutError when it had to stop; what was
 * answered before that is already applied to the outbox.
 *
 * @example
 * const report = await syncOutbox(vault, browserTransport);
 */
export async function syncOutbox(
  vault: Vault,
  transport: SyncTransport,
  options: { now?: () => Date; onPhotoProgress?: (id: string, sent: number, total: number) => void } = {},
): Promise<SyncReport> {
  const now = options.now ?? (() => new Date());
  const report: SyncReport = {
    sent: 0,
    stored: 0,
    rejected: 0,
    blocked: 0,
    conflicts: 0,
    photosUploaded: 0,
    photosLinked: 0,
    clockSkewFlagged: false,
  };
  const deviceId = await vault.deviceId();
  const entries = await listOutbox(vault);

  for (const batch of batchesOf(entries.filter(sendable))) {
    const operations: SyncOperation[] = batch.map((entry) => entry.operation!);
    const response = await transport.sendBatch({
      device_id: deviceId,
      device_time: now().toISOString(),
      operations,
    });
    report.sent += operations.length;
    report.clockSkewFlagged ||= response.clock_skew_flagged;
    const byOpId = new Map(response.results.map((result) => [result.op_id, result]));
    for (const entry of batch) {
      const result = byOpId.get(entry.id);
      // A result missing from the answer leaves the record as it was: it is sent again next time.
      if (result === undefined) continue;
      const outcome = applyResult(entry, result, now().toISOString());
      if (outcome === 'remove') {
        await keepStoredRecord(vault, result);
        await removeOutboxEntry(vault, entry.id);
        report.stored += 1;
      } else {
        await updateOutboxEntry(vault, outcome);
        if (outcome.status === 'rejected') report.rejected += 1;
        if (outcome.status === 'blocked') report.blocked += 1;
        if (outcome.status === 'conflict') report.conflicts += 1;
      }
    }
  }

  // Photos and links after the records they are linked to, in the order they were made (a photo before a link to
  // it); one whose record still waits stays for the next round.
  const remaining = await listOutbox(vault);
  const waitingRecordIds = waitingRecordIdsOf(remaining);
  for (const entry of remaining) {
    const target = entry.photo ?? entry.link;
    if (target === undefined || !sendable(entry)) continue;
    if (waitsForRecord(target, waitingRecordIds)) continue;
    try {
      if (entry.photo !== undefined) {
        // A previous attempt may have finished on the server with its answer lost.
        if (!(await transport.mediaExists(entry.photo.media_id))) {
          const bytes = await readPhotoBytes(vault, entry.id);
          await transport.uploadPhoto(entry.photo, bytes, (sent, total) =>
            options.onPhotoProgress?.(entry.id, sent, total),
          );
        }
        report.photosUploaded += 1;
      } else {
        await transport.linkMedia(entry.link!);
        report.photosLinked += 1;
      }
      await removeOutboxEntry(vault, entry.id);
    } catch (error) {
      if (!(error instanceof UploadRefusedError)) throw error;
      await updateOutboxEntry(vault, {
        ...entry,
        status: 'rejected',
        problem: error.problem,
        attempts: entry.attempts + 1,
        last_attempt_at: now().toISOString(),
      });
      report.rejected += 1;
    }
  }
  return report;
}

/**
 * The entry again, with a new op_id, ready to be sent: after a correction of a refused record, or to resolve a
 * conflict ("keep mine" with the server's version as the base, or a merged body).
 *
 * @example
 * await updateOutboxEntry(vault, resend(entry, correctedBody));
 */
export function resend(entry: OutboxEntry, body: Record<string, unknown>, baseVersion?: number): OutboxEntry {
  if (entry.operation === undefined) throw new Error('Only operations are resent this way');
  const operation: SyncOperation = { ...entry.operation, op_id: v7(), body };
  if (baseVersion !== undefined) operation.base_version = baseVersion;
  const next: OutboxEntry = { ...entry, id: operation.op_id, status: 'pending', operation };
  delete next.problem;
  delete next.conflict;
  return next;
}

/**
 * Replaces an entry by its resent form (new op_id): the old one is removed only after the new one is stored.
 *
 * @example
 * await replaceEntry(vault, entry, resend(entry, body));
 */
export async function replaceEntry(vault: Vault, old: OutboxEntry, next: OutboxEntry): Promise<void> {
  await updateOutboxEntry(vault, next);
  if (next.id !== old.id) await removeOutboxEntry(vault, old.id);
}

/**
 * The delay before the next automatic attempt after `failures` failed ones in a row: 5 s doubling up to 5 min,
 * with up to 20 % jitter so many devices coming back online do not all retry at once.
 *
 * @example
 * retryDelayMs(0) // ≈ 5000
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, failures), 300_000);
  return Math.round(base * (1 + 0.2 * random()));
}
