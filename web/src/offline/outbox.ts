import { open, seal, sealBytes, openBytes } from './crypto';
import type { RecordKind, StoredOutboxRecord } from './database';
import type { OperationType, SyncOperation, SyncProblem } from './contract';
import type { Vault } from './vault';

// The outbox: every write made offline (or that failed for network reasons), kept encrypted until the server has
// it. Nothing leaves it except a server answer that the record is stored, or an explicit, confirmed discard.

export type EntryStatus = 'pending' | 'rejected' | 'blocked' | 'conflict';

/** A photo (or other file) waiting to be uploaded with tus. */
export interface PhotoMeta {
  media_id: string;
  investigation_id: string;
  filename: string;
  media_type: string;
  size: number;
  sha256: string;
  captured_at: string;
  item_id?: string;
  site_id?: string;
  marking_id?: string;
  credit?: string;
  licence?: string;
  captured_by?: string;
  /** Who may see the file (the investigation's default when absent) and, for restricted, why. */
  sensitivity?: string;
  sensitivity_reason?: string;
}

/**
 * A link from a photo already on the server to a record still in the outbox (an item saved offline): made after
 * that record is stored. The server refuses a second identical link, so a retry never links twice.
 */
export interface MediaLinkMeta {
  /** UUIDv7 of this link request (the entry's id). */
  link_id: string;
  media_id: string;
  investigation_id: string;
  item_id?: string;
  site_id?: string;
  marking_id?: string;
  captured_at: string;
}

export interface OutboxEntry {
  /** op_id of an operation, media_id of a photo, link_id of a link. */
  id: string;
  kind: RecordKind;
  created_at: string;
  status: EntryStatus;
  /** A short human description for the outbox screen (e.g. the item's category and first marking). */
  label: string;
  operation?: SyncOperation;
  photo?: PhotoMeta;
  /** Counted as a photo: it is one, not yet attached to its record on the server. */
  link?: MediaLinkMeta;
  /** Why the server refused or blocked it, or why the last attempt failed. */
  problem?: SyncProblem;
  /** For a conflict: the server's record and version at the time. */
  conflict?: { server_record: Record<string, unknown>; server_version: number };
  attempts: number;
  last_attempt_at?: string;
}

/** Counts by kind, readable without the passphrase. */
export type OutboxCounts = Partial<Record<RecordKind, number>>;

const kindOfOperation: Record<OperationType, RecordKind> = {
  'site.create': 'site',
  'zone.create': 'zone',
  'item.create': 'item',
  'marking.create': 'marking',
  'custody.create': 'custody',
  'item.disposal': 'disposal',
  'site.update': 'update',
  'item.update': 'update',
};

const listeners = new Set<() => void>();

/** Calls `listener` whenever the outbox changes (added, sent, discarded). */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  for (const listener of listeners) listener();
}

async function store(vault: Vault, entry: OutboxEntry, bytes?: ArrayBuffer): Promise<void> {
  const keys = vault.keys();
  const db = await vault.database();
  const existing = bytes === undefined ? await db.get('outbox', entry.id) : undefined;
  const record: StoredOutboxRecord = {
    id: entry.id,
    kind: entry.kind,
    created_at: entry.created_at,
    sealed: await seal(keys, entry),
  };
  const sealedBytes = bytes === undefined ? existing?.bytes : await sealBytes(keys, bytes);
  if (sealedBytes !== undefined) record.bytes = sealedBytes;
  await db.put('outbox', record);
  changed();
}

/**
 * Keeps an operation of the sync contract until the server has it.
 *
 * @example
 * await queueOperation(vault, operation, 'Site: Cache north of the bridge');
 */
export async function queueOperation(vault: Vault, operation: SyncOperation, label: string): Promise<OutboxEntry> {
  const entry: OutboxEntry = {
    id: operation.op_id,
    kind: kindOfOperation[operation.type],
    created_at: operation.captured_at,
    status: 'pending',
    label,
    operation,
    attempts: 0,
  };
  await store(vault, entry);
  return entry;
}

/**
 * Keeps a photo and its bytes (encrypted) until it is uploaded.
 *
 * @example
 * await queuePhoto(vault, meta, await file.arrayBuffer());
 */
export async function queuePhoto(vault: Vault, photo: PhotoMeta, bytes: ArrayBuffer): Promise<OutboxEntry> {
  const entry: OutboxEntry = {
    id: photo.media_id,
    kind: 'photo',
    created_at: photo.captured_at,
    status: 'pending',
    label: photo.filename,
    photo,
    attempts: 0,
  };
  await store(vault, entry, bytes);
  return entry;
}

/**
 * Keeps the link of an uploaded photo to a record that is still in the outbox; sent after that record.
 *
 * @example
 * await queueLink(vault, { link_id: v7(), media_id, investigation_id, item_id, captured_at }, 'IMG_0001.jpg');
 */
export async function queueLink(vault: Vault, link: MediaLinkMeta, label: string): Promise<OutboxEntry> {
  const entry: OutboxEntry = {
    id: link.link_id,
    kind: 'photo',
    created_at: link.captured_at,
    status: 'pending',
    label,
    link,
    attempts: 0,
  };
  await store(vault, entry);
  return entry;
}

/** The ids of records whose create still waits in the outbox (photos and links to them wait too). */
export function waitingRecordIdsOf(entries: readonly OutboxEntry[]): Set<string> {
  return new Set(
    entries.flatMap((entry) => (entry.operation?.type.endsWith('.create') === true ? [entry.operation.record_id] : [])),
  );
}

/** Every entry, oldest first (decrypted: needs the key). */
export async function listOutbox(vault: Vault): Promise<OutboxEntry[]> {
  const keys = vault.keys();
  const records = await (await vault.database()).getAllFromIndex('outbox', 'created_at');
  return Promise.all(records.map((record) => open<OutboxEntry>(keys, record.sealed)));
}

/** One entry, or undefined. */
export async function getOutboxEntry(vault: Vault, id: string): Promise<OutboxEntry | undefined> {
  const record = await (await vault.database()).get('outbox', id);
  return record === undefined ? undefined : open<OutboxEntry>(vault.keys(), record.sealed);
}

/** A photo's bytes. */
export async function readPhotoBytes(vault: Vault, id: string): Promise<ArrayBuffer> {
  const record = await (await vault.database()).get('outbox', id);
  if (record?.bytes === undefined) throw new Error(`No bytes kept for ${id}`);
  return openBytes(vault.keys(), record.bytes);
}

/** Replaces an entry (new status, problem, or a linked item for a photo). */
export async function updateOutboxEntry(vault: Vault, entry: OutboxEntry): Promise<void> {
  await store(vault, entry);
}

/**
 * Removes an entry. Only for a record the server confirmed as stored, or after the user confirmed a discard.
 *
 * @example
 * await removeOutboxEntry(vault, entry.id);
 */
export async function removeOutboxEntry(vault: Vault, id: string): Promise<void> {
  await (await vault.database()).delete('outbox', id);
  changed();
}

/** How many records of each kind wait; needs no key (kinds are stored in plain). */
export async function countOutbox(vault: Vault): Promise<OutboxCounts> {
  const db = await vault.database();
  const counts: OutboxCounts = {};
  let cursor = await db.transaction('outbox').store.openCursor();
  while (cursor !== null) {
    counts[cursor.value.kind] = (counts[cursor.value.kind] ?? 0) + 1;
    cursor = await cursor.continue();
  }
  return counts;
}

/** The total number of waiting records. */
export function totalOf(counts: OutboxCounts): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
