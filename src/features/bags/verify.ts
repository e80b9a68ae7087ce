import { checkBagSignature, type BagSignatureCheck } from '../signing/bag-signature.js';
import type { SignerTrust } from '../signing/schema.js';
import type { SignerStanding } from '../signing/service.js';
import type { BagProblem, BagVerification } from './bagit.js';

export interface SignedBagVerification extends BagVerification {
  /** What the reader should know that is not a problem (an unsigned bag, a key list that could not be read). */
  notes: string[];
  signature: Omit<BagSignatureCheck, 'public_key_pem' | 'message'> & {
    trust: SignerTrust | null;
    known_as: string | null;
    /** One line naming the signer and what this instance knows of the key, or why there is none. */
    summary: string;
  };
}

/**
 * Adds the signature to a bag's verification: an altered tag manifest (or a
 * signature that does not verify) is a problem naming the file; the signer is
 * named with what `lookup` knows of the key (own, trusted, unknown). An
 * unsigned bag, or one signed by an unknown key, is a problem only with
 * `requireSignature`.
 *
 * @example
 * const result = await checkSignedBag('/media/usb/case-12.bag', await verifyBag('/media/usb/case-12.bag'),
 *   (fingerprint) => signerStanding(db, own, fingerprint), { requireSignature: true });
 */
export async function checkSignedBag(
  bagPath: string,
  payload: BagVerification,
  lookup: (fingerprint: string) => Promise<SignerStanding>,
  options: { requireSignature: boolean; notes?: string[] },
): Promise<SignedBagVerification> {
  const check = await checkBagSignature(bagPath);
  const problems: BagProblem[] = [...payload.problems];
  const notes = [...(options.notes ?? [])];
  let standing: SignerStanding | undefined;
  let summary: string;
  if (check.status === 'valid' && check.fingerprint !== null) {
    standing = await lookup(check.fingerprint);
    const whose =
      standing.trust === 'own'
        ? 'this instance’s own key'
        : standing.trust === 'trusted'
          ? `a trusted partner key ("${standing.known_as ?? ''}")`
          : 'a key this instance does not trust';
    summary = `valid; signed by "${check.name ?? ''}" with ${whose}, fingerprint ${check.fingerprint}, at ${check.signed_at ?? 'an unknown time'}.`;
    if (standing.trust === 'unknown') {
      const message = `The bag is signed by "${check.name ?? ''}" (key ${check.fingerprint}), a key neither this instance's nor in the trusted list (armtrace key trust).`;
      if (options.requireSignature) problems.push({ kind: 'signature', path: check.signed_file, message });
      else notes.push(message);
    }
  } else if (check.status === 'unsigned') {
    summary = 'unsigned.';
    if (options.requireSignature) problems.push({ kind: 'signature', message: check.message });
    else notes.push(check.message);
  } else {
    summary = `INVALID: ${check.message}`;
    problems.push({ kind: 'signature', path: check.signed_file, message: check.message });
  }
  const { public_key_pem: _pem, message: _message, ...signature } = check;
  return {
    ...payload,
    ok: problems.length === 0,
    problems,
    notes,
    signature: { ...signature, trust: standing?.trust ?? null, known_as: standing?.known_as ?? null, summary },
  };
}
