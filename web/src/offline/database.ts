import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Sealed } from './crypto';

// The device's offline store in IndexedDB. Only ciphertext is kept, beside the least plaintext needed to count
// what waits without the passphrase: a record's id, its kind and when it was made.

/** What an outbox record is, readable without the key so the waiting records can be counted. */
export type RecordKind = 'site' | 'zone' | 'item' | 'marking' | 'custody' | 'disposal' | 'update' | 'photo';

export interface StoredOutboxRecord {
  id: string;
  kind: RecordKind;
  created_at: string;
  sealed: Sealed;
  /** A photo's bytes, sealed apart from its description. */
  bytes?: Sealed;
}

export interface StoredCacheRecord {
  /** HMAC of the address: see opaqueName. */
  name: string;
  sealed: Sealed;
  /** When it was kept (plain: lets the store be pruned while locked answers nothing). Absent in older records. */
  kept_at?: string;
  /** The sealed size in bytes (plain, for the size shown and the budget). */
  bytes?: number;
}

export interface VaultMeta {
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
  verifier: Sealed;
}

interface OfflineSchema extends DBSchema {
  vault: { key: 'vault'; value: VaultMeta };
  device: { key: 'device_id'; value: string };
  outbox: { key: string; value: StoredOutboxRecord; indexes: { created_at: string } };
  cache: { key: string; value: StoredCacheRecord };
}

export type OfflineDatabase = IDBPDatabase<OfflineSchema>;

export const offlineDatabaseName = 'armtrace-offline';

/**
 * Opens (creating when needed) the offline store.
 *
 * @example
 * const db = await openOfflineDatabase();
 */
export function openOfflineDatabase(name: string = offlineDatabaseName): Promise<OfflineDatabase> {
  return openDB<OfflineSchema>(name, 1, {
    upgrade(db) {
      db.createObjectStore('vault');
      db.createObjectStore('device');
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('created_at', 'created_at');
      db.createObjectStore('cache', { keyPath: 'name' });
    },
  });
}
