import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../errors.js';

/**
 * The instance's Ed25519 signing key: one PKCS#8 PEM file in the data
 * directory, made on first start with mode 0600 and never overwritten. It
 * signs bags (bag-signature.ts) and audit checkpoints (checkpoint-signature.ts).
 * A key is named by its fingerprint: the SHA-256, in hex, of its public key's
 * SubjectPublicKeyInfo (DER), the same bytes as the body of its PEM.
 */
export const INSTANCE_KEY_FILE = 'instance-signing-key.pem';

/** Who signs: the key's public half, its fingerprint and the instance's name. */
export interface SignerIdentity {
  fingerprint: string;
  name: string;
  public_key_pem: string;
}

/** The instance's key pair with its identity; the private key never leaves this process. */
export interface InstanceSigner extends SignerIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Where the private key is kept. */
  file: string;
}

/**
 * The fingerprint of an Ed25519 public key: SHA-256 of its SubjectPublicKeyInfo (DER), 64 hex digits.
 *
 * @example
 * publicKeyFingerprint(createPublicKey(pem)); // '3b1f…'
 */
export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/**
 * Reads an Ed25519 public key from PEM text, refusing anything else (another
 * algorithm, a private key, garbage) with a problem naming `field`.
 *
 * @example
 * const { publicKey, fingerprint } = parsePublicKeyPem(fs.readFileSync('partner.pem', 'utf8'));
 */
export function parsePublicKeyPem(
  text: string,
  field = 'public_key',
): { publicKey: KeyObject; fingerprint: string; pem: string } {
  const refuse = (why: string) =>
    new DomainError('validation_failed', `The ${field} is not an Ed25519 public key in PEM: ${why}.`, [
      { field, message: `not an Ed25519 public key in PEM (${why})` },
    ]);
  if (!text.includes('-----BEGIN PUBLIC KEY-----')) throw refuse('no "-----BEGIN PUBLIC KEY-----" block');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw refuse((error as Error).message);
  }
  if (publicKey.asymmetricKeyType !== 'ed25519')
    throw refuse(`it is a ${publicKey.asymmetricKeyType ?? 'unknown'} key`);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { publicKey, fingerprint: publicKeyFingerprint(publicKey), pem };
}

function keyProblem(file: string, why: string): DomainError {
  return new DomainError(
    'instance_key_invalid',
    `The instance signing key ${file} ${why}. armtrace will not start without it and will not replace it: ` +
      'restore the file from a backup (or, if the key is truly lost, move the file away so a new key is made, and tell your partners the new fingerprint).',
  );
}

function readSigner(file: string, name: string): InstanceSigner {
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw keyProblem(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw keyProblem(file, 'is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw keyProblem(file, `holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 key`);
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    file,
    name,
    fingerprint: publicKeyFingerprint(publicKey),
    public_key_pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

const loaded = new Map<string, InstanceSigner>();

/**
 * The instance's signing key, made in `dataDir` when there is none yet
 * (`created: true`: print its public key). An unreadable or malformed key
 * file is never replaced: it stops with `instance_key_invalid` naming the
 * file. Read once per process.
 *
 * @example
 * const { signer, created } = loadInstanceSigner({ dataDir: '/srv/armtrace', instanceName: 'Field office A' });
 * if (created) console.error(`New signing key ${signer.fingerprint}\n${signer.public_key_pem}`);
 */
export function loadInstanceSigner(config: { dataDir: string; instanceName: string }): {
  signer: InstanceSigner;
  created: boolean;
} {
  const file = path.join(config.dataDir, INSTANCE_KEY_FILE);
  const cached = loaded.get(file);
  if (cached !== undefined) return { signer: { ...cached, name: config.instanceName }, created: false };
  let created = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      // 'wx': a key another process wrote meanwhile is kept, never overwritten.
      fs.writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
      created = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw keyProblem(file, `cannot be created (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }
  const signer = readSigner(file, config.instanceName);
  loaded.set(file, signer);
  return { signer, created };
}

/** {@link loadInstanceSigner} without the `created` flag. */
export function instanceSigner(config: { dataDir: string; instanceName: string }): InstanceSigner {
  return loadInstanceSigner(config).signer;
}

/** Forgets the keys read so far (tests that damage a key file on purpose). */
export function forgetLoadedSigners(): void {
  loaded.clear();
}

/**
 * An Ed25519 signature of `bytes`, in Base64 (88 characters).
 *
 * @example
 * const signature = signBytes(signer, fs.readFileSync('bag/tagmanifest-sha256.txt'));
 */
export function signBytes(signer: Pick<InstanceSigner, 'privateKey'>, bytes: Buffer): string {
  return sign(null, bytes, signer.privateKey).toString('base64');
}

/** Whether `signatureBase64` is a valid Ed25519 signature of `bytes` by `publicKey`. */
export function verifyBytes(publicKey: KeyObject, bytes: Buffer, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64.trim(), 'base64');
  if (signature.length !== 64) return false;
  try {
    return verify(null, bytes, publicKey, signature);
  } catch {
    return false;
  }
}
