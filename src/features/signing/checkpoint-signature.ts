import type { Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { parsePublicKeyPem, signBytes, verifyBytes, type InstanceSigner } from './instance-key.js';

/**
 * The instance's signature of an audit checkpoint. What is signed is the
 * checkpoint's signing text ({@link checkpointSigningText}): its id, the chain
 * position and hash it records, the entry count and its time, one per line.
 * The signature is kept in `audit_checkpoint_signatures` beside the
 * checkpoint (a trusted timestamp of the same text can be kept beside it).
 */
export const CHECKPOINT_SIGNING_VERSION = 'armtrace audit checkpoint v1';

/**
 * The exact bytes a checkpoint's signature covers.
 *
 * @example
 * checkpointSigningText({ id, seq: 1042, hash: '9f86…', entries: 1042, created_at: new Date() });
 * // 'armtrace audit checkpoint v1\nid: …\nseq: 1042\nhash: 9f86…\nentries: 1042\ncreated_at: 2026-…Z\n'
 */
export function checkpointSigningText(checkpoint: {
  id: string;
  seq: number;
  hash: string;
  entries: number;
  created_at: Date;
}): Buffer {
  return Buffer.from(
    [
      CHECKPOINT_SIGNING_VERSION,
      `id: ${checkpoint.id}`,
      `seq: ${checkpoint.seq}`,
      `hash: ${checkpoint.hash}`,
      `entries: ${checkpoint.entries}`,
      `created_at: ${checkpoint.created_at.toISOString()}`,
      '',
    ].join('\n'),
  );
}

/** Signs a checkpoint just written, in the caller's transaction. */
export async function signCheckpoint(
  trx: Queryable,
  signer: InstanceSigner,
  checkpoint: Row<'audit_checkpoints'>,
): Promise<Row<'audit_checkpoint_signatures'>> {
  return trx
    .insertInto('audit_checkpoint_signatures')
    .values({
      checkpoint_id: checkpoint.id,
      algorithm: 'ed25519',
      signer_fingerprint: signer.fingerprint,
      signer_name: signer.name,
      public_key_pem: signer.public_key_pem,
      signature: signBytes(signer, checkpointSigningText(checkpoint)),
      signed_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Why a checkpoint's stored signature cannot be relied on, or undefined when
 * it verifies and its key is this instance's own (`ownFingerprint`) or in
 * `trustedFingerprints` (an earlier key of this instance, trusted by hand).
 */
export function checkpointSignatureProblem(
  checkpoint: Row<'audit_checkpoints'>,
  signature: Row<'audit_checkpoint_signatures'>,
  ownFingerprint: string | undefined,
  trustedFingerprints: ReadonlySet<string>,
): string | undefined {
  let key: ReturnType<typeof parsePublicKeyPem>;
  try {
    key = parsePublicKeyPem(signature.public_key_pem);
  } catch {
    return 'its stored public key is not an Ed25519 key';
  }
  if (key.fingerprint !== signature.signer_fingerprint) {
    return `its stored public key is ${key.fingerprint}, not the ${signature.signer_fingerprint} it names`;
  }
  if (!verifyBytes(key.publicKey, checkpointSigningText(checkpoint), signature.signature)) {
    return `its signature by ${signature.signer_name} (key ${signature.signer_fingerprint}) does not match it: the checkpoint or its signature was altered`;
  }
  if (
    ownFingerprint !== undefined &&
    signature.signer_fingerprint !== ownFingerprint &&
    !trustedFingerprints.has(signature.signer_fingerprint)
  ) {
    return `it is signed by the key ${signature.signer_fingerprint}, which is neither this instance's key (${ownFingerprint}) nor a trusted one`;
  }
  return undefined;
}
