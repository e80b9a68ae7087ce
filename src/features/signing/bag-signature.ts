import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parsePublicKeyPem, signBytes, verifyBytes, type InstanceSigner } from './instance-key.js';

/**
 * The detached signature of a bag (RFC 8493 has none of its own). The signed
 * file is the tag manifest: it holds the SHA-256 of bagit.txt, bag-info.txt
 * and manifest-sha256.txt, which holds the SHA-256 of every payload file, so
 * one signature covers the whole bag. Two files sit beside it, outside every
 * manifest (they cannot list themselves):
 *
 * - `tagmanifest-sha256.txt.sig`: the Ed25519 signature of the tag
 *   manifest's exact bytes, Base64, one line;
 * - `tagmanifest-sha256.txt.signer.json`: who signed (public key PEM, its
 *   fingerprint, the instance's name, the time); the fingerprint is also in
 *   bag-info.txt (`Armtrace-Signer-Fingerprint`), inside what is signed.
 *
 * Other proofs over the same tag manifest (a trusted timestamp) go beside
 * these as further `tagmanifest-sha256.txt.<kind>` files.
 */
export const SIGNED_TAG_MANIFEST = 'tagmanifest-sha256.txt';
export const BAG_SIGNATURE_FILE = `${SIGNED_TAG_MANIFEST}.sig`;
export const BAG_SIGNER_FILE = `${SIGNED_TAG_MANIFEST}.signer.json`;

const signerFileSchema = z.object({
  algorithm: z.literal('ed25519'),
  signed_file: z.literal(SIGNED_TAG_MANIFEST),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string().min(1).max(200),
  public_key_pem: z.string().min(1).max(10_000),
  signed_at: z.string(),
});

/** The bag-info.txt fields naming the signer, inside what the signature covers. */
export function signerBagInfo(signer: Pick<InstanceSigner, 'fingerprint' | 'name'>): Record<string, string> {
  return { 'Armtrace-Signer-Fingerprint': signer.fingerprint, 'Armtrace-Signer-Name': signer.name };
}

/**
 * The two signature files for a bag whose tag manifest is `tagManifest`
 * (its exact bytes), by file name.
 *
 * @example
 * const files = bagSignatureFiles(signer, fs.readFileSync('bag/tagmanifest-sha256.txt'));
 * for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join('bag', name), text);
 */
export function bagSignatureFiles(signer: InstanceSigner, tagManifest: Buffer): Record<string, string> {
  return {
    [BAG_SIGNATURE_FILE]: `${signBytes(signer, tagManifest)}\n`,
    [BAG_SIGNER_FILE]: `${JSON.stringify(
      {
        algorithm: 'ed25519',
        signed_file: SIGNED_TAG_MANIFEST,
        fingerprint: signer.fingerprint,
        name: signer.name,
        public_key_pem: signer.public_key_pem,
        signed_at: new Date().toISOString(),
      },
      null,
      2,
    )}\n`,
  };
}

/** What a bag's signature says, before anyone decides whether to trust the key. */
export interface BagSignatureCheck {
  /** unsigned: no signature files; valid: the tag manifest is as signed; invalid: anything else. */
  status: 'unsigned' | 'valid' | 'invalid';
  signed_file: string;
  fingerprint: string | null;
  name: string | null;
  public_key_pem: string | null;
  signed_at: string | null;
  message: string;
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await fsp.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Checks a bag's detached signature over its tag manifest: the signer file is
 * well formed, its fingerprint is its public key's and bag-info.txt's, and the
 * signature verifies over the tag manifest's bytes. Says which file failed.
 * (Whether the manifests match the files is {@link verifyBag}'s part.)
 *
 * @example
 * const check = await checkBagSignature('/media/usb/case-12.bag');
 * if (check.status === 'invalid') console.error(check.message);
 */
export async function checkBagSignature(bagPath: string): Promise<BagSignatureCheck> {
  const root = path.resolve(bagPath);
  const signatureBytes = await readOptional(path.join(root, BAG_SIGNATURE_FILE));
  const signerBytes = await readOptional(path.join(root, BAG_SIGNER_FILE));
  const result = (
    status: BagSignatureCheck['status'],
    message: string,
    signer?: z.infer<typeof signerFileSchema>,
  ): BagSignatureCheck => ({
    status,
    signed_file: SIGNED_TAG_MANIFEST,
    fingerprint: signer?.fingerprint ?? null,
    name: signer?.name ?? null,
    public_key_pem: signer?.public_key_pem ?? null,
    signed_at: signer?.signed_at ?? null,
    message,
  });
  if (signatureBytes === undefined && signerBytes === undefined) {
    return result('unsigned', `The bag is not signed: it has no ${BAG_SIGNATURE_FILE}.`);
  }
  if (signatureBytes === undefined)
    return result('invalid', `${BAG_SIGNER_FILE} is there but ${BAG_SIGNATURE_FILE} is missing.`);
  if (signerBytes === undefined)
    return result(
      'invalid',
      `${BAG_SIGNATURE_FILE} is there but ${BAG_SIGNER_FILE} is missing: the signer cannot be named.`,
    );
  let signer: z.infer<typeof signerFileSchema>;
  try {
    const parsed = signerFileSchema.safeParse(JSON.parse(signerBytes.toString('utf8')));
    if (!parsed.success) {
      return result(
        'invalid',
        `${BAG_SIGNER_FILE} is not a signer description (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'}).`,
      );
    }
    signer = parsed.data;
  } catch {
    return result('invalid', `${BAG_SIGNER_FILE} is not JSON.`);
  }
  let key: ReturnType<typeof parsePublicKeyPem>;
  try {
    key = parsePublicKeyPem(signer.public_key_pem);
  } catch (error) {
    return result('invalid', `${BAG_SIGNER_FILE}: ${(error as Error).message}`, signer);
  }
  if (key.fingerprint !== signer.fingerprint) {
    return result(
      'invalid',
      `${BAG_SIGNER_FILE} gives the fingerprint ${signer.fingerprint}, but its public key's is ${key.fingerprint}.`,
      signer,
    );
  }
  const tagManifest = await readOptional(path.join(root, SIGNED_TAG_MANIFEST));
  if (tagManifest === undefined)
    return result('invalid', `${SIGNED_TAG_MANIFEST}, the signed file, is missing.`, signer);
  const who = `${signer.name} (key ${signer.fingerprint})`;
  if (!verifyBytes(key.publicKey, tagManifest, signatureBytes.toString('utf8'))) {
    return result(
      'invalid',
      `${SIGNED_TAG_MANIFEST} does not match the signature in ${BAG_SIGNATURE_FILE} by ${who}: the tag manifest was altered after it was signed, or the signature is not this key's.`,
      signer,
    );
  }
  const info = (await readOptional(path.join(root, 'bag-info.txt')))?.toString('utf8') ?? '';
  const claimed = /^Armtrace-Signer-Fingerprint:\s*([0-9a-f]{64})\s*$/m.exec(info)?.[1];
  if (claimed !== undefined && claimed !== signer.fingerprint) {
    return result(
      'invalid',
      `bag-info.txt names the signer ${claimed}, but ${BAG_SIGNATURE_FILE} was made with ${signer.fingerprint}.`,
      signer,
    );
  }
  return result('valid', `${SIGNED_TAG_MANIFEST} is signed by ${who} at ${signer.signed_at}.`, signer);
}
