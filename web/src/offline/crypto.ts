// Encryption of everything kept on the device for offline use (WebCrypto only: no library holds the key).
// A passphrase the user sets gives, through PBKDF2, two keys: one AES-GCM key that seals each record with its own
// random IV, and one HMAC key that names cached records, so even their addresses are unreadable on the device.

/** OWASP's 2023 floor for PBKDF2-HMAC-SHA256. */
export const pbkdf2Iterations = 310_000;
const saltBytes = 16;
const ivBytes = 12;
const verifierText = 'armtrace offline store v1';

export interface DeviceKeys {
  /** AES-GCM 256: seals and opens records. */
  encryption: CryptoKey;
  /** HMAC-SHA-256: turns a cache address into an opaque name. */
  naming: CryptoKey;
}

/** A sealed record: the IV and the AES-GCM ciphertext (with its tag), both as stored in IndexedDB. */
export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

/** The wrong passphrase was given: the verifier record does not open with the key it gives. */
export class WrongPassphraseError extends Error {
  constructor() {
    super('The passphrase does not open this device’s offline store.');
    this.name = 'WrongPassphraseError';
  }
}

/** A fresh random salt for a new passphrase. */
export function newSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(saltBytes));
}

/**
 * Derives the device keys from the passphrase. Slow on purpose (PBKDF2, ≥ 310,000 iterations).
 *
 * @example
 * const keys = await deriveKeys('correct horse', salt);
 */
export async function deriveKeys(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number = pbkdf2Iterations,
): Promise<DeviceKeys> {
  if (iterations < pbkdf2Iterations) throw new Error(`PBKDF2 needs at least ${pbkdf2Iterations} iterations`);
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, 512),
  );
  const [encryption, naming] = await Promise.all([
    crypto.subtle.importKey('raw', bits.slice(0, 32), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']),
    crypto.subtle.importKey('raw', bits.slice(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']),
  ]);
  bits.fill(0);
  return { encryption, naming };
}

/**
 * Seals bytes with a fresh random IV.
 *
 * @example
 * const sealed = await sealBytes(keys, new Uint8Array([1, 2, 3]));
 */
export async function sealBytes(keys: DeviceKeys, bytes: Uint8Array<ArrayBuffer> | ArrayBuffer): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, keys.encryption, bytes);
  return { iv, data };
}

/** Opens sealed bytes; throws when the key is wrong or the ciphertext was altered. */
export async function openBytes(keys: DeviceKeys, sealed: Sealed): Promise<ArrayBuffer> {
  return crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, keys.encryption, sealed.data);
}

/**
 * Seals any JSON value.
 *
 * @example
 * const sealed = await seal(keys, { name: 'Cache north of the bridge' });
 * const value = await open<{ name: string }>(keys, sealed);
 */
export async function seal(keys: DeviceKeys, value: unknown): Promise<Sealed> {
  return sealBytes(keys, new TextEncoder().encode(JSON.stringify(value)));
}

/** Opens a sealed JSON value. */
export async function open<T>(keys: DeviceKeys, sealed: Sealed): Promise<T> {
  return JSON.parse(new TextDecoder().decode(await openBytes(keys, sealed))) as T;
}

/** The verifier stored beside the salt: it opens only with the right passphrase. */
export function makeVerifier(keys: DeviceKeys): Promise<Sealed> {
  return seal(keys, verifierText);
}

/** Throws {@link WrongPassphraseError} unless these keys open the verifier. */
export async function checkVerifier(keys: DeviceKeys, verifier: Sealed): Promise<void> {
  let text: unknown;
  try {
    text = await open<unknown>(keys, verifier);
  } catch {
    throw new WrongPassphraseError();
  }
  if (text !== verifierText) throw new WrongPassphraseError();
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * An opaque, stable name for a cache address (HMAC-SHA-256, hex): the same address always gives the same name
 * under the same passphrase, and nothing about the address can be read from it.
 *
 * @example
 * await opaqueName(keys, '/api/v1/sites/0191…') // '5f1c…'
 */
export async function opaqueName(keys: DeviceKeys, address: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', keys.naming, new TextEncoder().encode(address)));
}

/**
 * The SHA-256 of bytes as lowercase hex, as the server computes it.
 *
 * @example
 * await sha256Hex(new TextEncoder().encode('abc')) // 'ba7816bf…'
 */
export async function sha256Hex(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes));
}
