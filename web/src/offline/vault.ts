import { v4 } from 'uuid';
import {
  checkVerifier,
  deriveKeys,
  makeVerifier,
  newSalt,
  open,
  opaqueName,
  pbkdf2Iterations,
  seal,
  type DeviceKeys,
} from './crypto';
import { openOfflineDatabase, type OfflineDatabase } from './database';

/**
 * - `loading`: not read yet;
 * - `absent`: no passphrase was ever set on this device (offline use not set up);
 * - `locked`: set up, the key is not in memory (after a reload or a browser restart);
 * - `unlocked`: the key is in memory, records can be read and written.
 */
export type VaultState = 'loading' | 'absent' | 'locked' | 'unlocked';

/** The minimum length of the offline passphrase. */
export const minimumPassphraseLength = 8;

export class VaultLockedError extends Error {
  constructor() {
    super('The offline store is locked: enter the passphrase first.');
    this.name = 'VaultLockedError';
  }
}

/**
 * The device's encrypted store: the passphrase-derived key lives only in this object's memory, never in storage.
 *
 * @example
 * const vault = createVault();
 * await vault.setUp('a long passphrase');
 * const keys = vault.keys();
 */
export class Vault {
  private state: VaultState = 'loading';
  private deviceKeys: DeviceKeys | undefined;
  private readonly listeners = new Set<() => void>();
  private databasePromise: Promise<OfflineDatabase> | undefined;

  constructor(private readonly openDatabase: () => Promise<OfflineDatabase> = () => openOfflineDatabase()) {}

  database(): Promise<OfflineDatabase> {
    this.databasePromise ??= this.openDatabase();
    return this.databasePromise;
  }

  /** The current state, for useSyncExternalStore. */
  getState = (): VaultState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setState(next: VaultState): void {
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  /** Reads whether a passphrase was set on this device. */
  async load(): Promise<VaultState> {
    if (this.state === 'unlocked') return this.state;
    const meta = await (await this.database()).get('vault', 'vault');
    this.setState(meta === undefined ? 'absent' : 'locked');
    return this.state;
  }

  /** IndexedDB cannot be opened: the app works online only (setting up offline use will say why it fails). */
  markUnavailable(): void {
    if (this.state === 'loading') this.setState('absent');
  }

  /** Sets the passphrase for a device that has none, and unlocks. */
  async setUp(passphrase: string): Promise<void> {
    if (passphrase.length < minimumPassphraseLength) throw new Error('The passphrase is too short');
    const db = await this.database();
    if ((await db.get('vault', 'vault')) !== undefined) throw new Error('This device already has a passphrase');
    const salt = newSalt();
    const keys = await deriveKeys(passphrase, salt, pbkdf2Iterations);
    await db.put('vault', { salt, iterations: pbkdf2Iterations, verifier: await makeVerifier(keys) }, 'vault');
    this.deviceKeys = keys;
    this.setState('unlocked');
  }

  /** Unlocks with the passphrase; throws WrongPassphraseError when it is not the one set. */
  async unlock(passphrase: string): Promise<void> {
    const meta = await (await this.database()).get('vault', 'vault');
    if (meta === undefined) throw new Error('No passphrase was set on this device');
    const keys = await deriveKeys(passphrase, meta.salt, meta.iterations);
    await checkVerifier(keys, meta.verifier);
    this.deviceKeys = keys;
    this.setState('unlocked');
  }

  /** Forgets the key (the records stay, encrypted). */
  lock(): void {
    this.deviceKeys = undefined;
    if (this.state === 'unlocked') this.setState('locked');
  }

  isUnlocked(): boolean {
    return this.deviceKeys !== undefined;
  }

  /** The keys; throws VaultLockedError when locked. */
  keys(): DeviceKeys {
    if (this.deviceKeys === undefined) throw new VaultLockedError();
    return this.deviceKeys;
  }

  /** This device's random id, sent with every batch (not secret: it names no person). */
  async deviceId(): Promise<string> {
    const db = await this.database();
    const known = await db.get('device', 'device_id');
    if (known !== undefined) return known;
    const id = v4();
    await db.put('device', id, 'device_id');
    return id;
  }

  /** Keeps a read result (encrypted, under an opaque name) for offline reading. */
  async cachePut(address: string, value: unknown): Promise<void> {
    const keys = this.keys();
    const db = await this.database();
    const sealed = await seal(keys, value);
    await db.put('cache', {
      name: await opaqueName(keys, address),
      sealed,
      kept_at: new Date().toISOString(),
      bytes: sealed.iv.byteLength + sealed.data.byteLength,
    });
  }

  /** Forgets a kept read result. */
  async cacheDelete(address: string): Promise<void> {
    const keys = this.keys();
    await (await this.database()).delete('cache', await opaqueName(keys, address));
  }

  /** A kept read result, or undefined. */
  async cacheGet<T>(address: string): Promise<T | undefined> {
    const keys = this.keys();
    const stored = await (await this.database()).get('cache', await opaqueName(keys, address));
    return stored === undefined ? undefined : open<T>(keys, stored.sealed);
  }
}

/** The app's one vault. */
export const vault = new Vault();
