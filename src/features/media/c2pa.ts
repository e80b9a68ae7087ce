// Reads the C2PA manifest store (Content Credentials) embedded in a JPEG, PNG or HEIF/MP4 file with
// @trustnxt/c2pa-ts (pure TypeScript, no native code), validates it against the file's bytes and summarises what it
// claims. The library checks the COSE signature against the certificate in the manifest, the certificate's profile
// (key usage, validity at signing time) and the hard binding (the hash of the file outside the manifest); it keeps
// no trust list, so "verified" means the manifest is intact and signed by the certificate it names, not that the
// certificate belongs to anyone in particular.
import type { Asset } from '@trustnxt/c2pa-ts/asset';
import type { ValidationResult, ValidationStatusEntry } from '@trustnxt/c2pa-ts/manifest';
import type { ProofReading, SignatureState } from './proof-types.js';

/** Files larger than this are not read for a manifest (the reader holds the whole file in memory). */
export const MAX_C2PA_READ_BYTES = 128 * 1024 * 1024;

/** Failure codes that mean the bytes or the signature do not match what was signed. */
const mismatchCodes = new Set([
  'claimSignature.mismatch',
  'assertion.hashedURI.mismatch',
  'assertion.dataHash.mismatch',
  'assertion.bmffHash.mismatch',
  'assertion.boxesHash.mismatch',
  'assertion.collectionHash.mismatch',
  'hashedURI.mismatch',
  'ingredient.manifest.mismatch',
  'ingredient.claimSignature.mismatch',
  'assertion.missing',
  'assertion.undeclared',
  'claim.missing',
  'claimSignature.missing',
  'claim.hardBindings.missing',
  'signingCredential.expired',
  'signingCredential.ocsp.revoked',
]);

function openAsset(
  { BMFF, JPEG, PNG }: typeof import('@trustnxt/c2pa-ts/asset'),
  bytes: Uint8Array,
  mediaType: string,
): Asset | undefined {
  if (mediaType === 'image/jpeg' && JPEG.canRead(bytes)) return new JPEG(bytes);
  if (mediaType === 'image/png' && PNG.canRead(bytes)) return new PNG(bytes);
  if (['image/heic', 'image/avif', 'video/mp4', 'video/quicktime'].includes(mediaType) && BMFF.canRead(bytes))
    return new BMFF(bytes);
  return undefined;
}

function entryJson(entry: ValidationStatusEntry): Record<string, unknown> {
  return {
    code: entry.code,
    success: entry.success !== false,
    ...(entry.url === undefined ? {} : { url: entry.url }),
    ...(entry.explanation === undefined ? {} : { explanation: entry.explanation }),
  };
}

/** The signature state and its reason from the validation codes. */
export function c2paSignatureState(result: { isValid: boolean; statusEntries: ValidationStatusEntry[] }): {
  state: SignatureState;
  reason: string;
} {
  const failures = result.statusEntries.filter((entry) => entry.success === false);
  const describe = (entries: ValidationStatusEntry[]) =>
    entries
      .map((entry) => `${entry.code}${entry.explanation === undefined ? '' : ` (${entry.explanation})`}`)
      .join('; ');
  if (result.isValid && failures.length === 0) {
    return {
      state: 'verified',
      reason:
        'The claim signature matches the signing certificate in the manifest and the file’s bytes match the signed hash. ' +
        'The certificate was not checked against a trust list: who holds it is not established.',
    };
  }
  const mismatches = failures.filter((entry) => mismatchCodes.has(entry.code));
  if (mismatches.length > 0) return { state: 'invalid', reason: describe(mismatches).slice(0, 2000) };
  return {
    state: 'unverifiable',
    reason: `The manifest could not be verified: ${describe(failures) || 'no validation result'}`.slice(0, 2000),
  };
}

/**
 * The C2PA manifest store embedded in a file, what its active manifest claims and whether it verifies; undefined
 * when the file holds none (or is of a type that cannot carry one here). Never throws for a damaged manifest: a
 * manifest that cannot be parsed is returned as unverifiable, with its raw bytes.
 *
 * @example
 * const reading = await readC2pa(await fs.readFile('photo.jpg'), 'image/jpeg');
 * if (reading) console.log(reading.claims.claim_generator, reading.signatureState);
 */
export async function readC2pa(bytes: Uint8Array, mediaType: string): Promise<ProofReading | undefined> {
  // The C2PA reader is loaded when a file is read, not by every command that loads this module.
  const [assets, { SuperBox }, { ManifestStore, ValidationResult }] = await Promise.all([
    import('@trustnxt/c2pa-ts/asset'),
    import('@trustnxt/c2pa-ts/jumbf'),
    import('@trustnxt/c2pa-ts/manifest'),
  ]);
  let asset: Asset | undefined;
  let jumbf: Uint8Array | undefined;
  try {
    asset = openAsset(assets, bytes, mediaType);
    jumbf = asset?.getManifestJUMBF();
  } catch {
    // A file the reader cannot walk through is not refused for it; it simply has no readable manifest.
    return undefined;
  }
  if (asset === undefined || jumbf === undefined || jumbf.length === 0) return undefined;
  const claims: Record<string, unknown> = {};
  let result: ValidationResult;
  try {
    const store = ManifestStore.read(SuperBox.fromBuffer(jumbf as Uint8Array<ArrayBuffer>));
    const manifest = store.getActiveManifest();
    claims.manifests = store.manifests.length;
    if (manifest !== undefined) {
      const claim = manifest.claim;
      const certificate = manifest.signature?.signatureData.certificate;
      const signedAt = manifest.signature?.signatureData.timestamp;
      Object.assign(claims, {
        manifest_label: manifest.label ?? null,
        claim_generator: claim?.claimGeneratorName ?? null,
        claim_generator_version: claim?.claimGeneratorVersion ?? null,
        title: claim?.title ?? null,
        format: claim?.format ?? null,
        instance_id: claim?.instanceID ?? null,
        signer:
          certificate === undefined
            ? null
            : {
                subject: certificate.subject,
                issuer: certificate.issuer,
                serial_number: certificate.serialNumber,
                not_before: certificate.notBefore.toISOString(),
                not_after: certificate.notAfter.toISOString(),
              },
        signed_at: signedAt === undefined ? null : signedAt.toISOString(),
        assertions: (manifest.assertions?.assertions ?? []).map((assertion) => assertion.fullLabel ?? assertion.label),
        actions: (manifest.assertions?.getActionAssertions() ?? []).flatMap((assertion) =>
          assertion.actions.map((action) => ({
            action: action.action,
            ...(action.digitalSourceType === undefined ? {} : { digital_source_type: action.digitalSourceType }),
            ...(action.softwareAgent === undefined ? {} : { software_agent: action.softwareAgent.name }),
            ...(action.reason === undefined ? {} : { reason: action.reason }),
          })),
        ),
      });
    }
    result = await store.validate(asset);
  } catch (error) {
    result = ValidationResult.fromError(error as Error);
  }
  claims.validation = result.statusEntries.map(entryJson);
  const { state, reason } = c2paSignatureState(result);
  return {
    kind: 'c2pa',
    claims,
    signatureState: state,
    signatureReason: reason,
    files: [{ name: 'c2pa-manifest-store.jumbf', role: 'c2pa_manifest', bytes: Buffer.from(jumbf) }],
  };
}
