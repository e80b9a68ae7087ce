import type { Media } from '../api/client';
import { useI18n, type MessageKey } from '../i18n/i18n';

type MediaProof = Media['proofs'][number];

const signatureKeys = {
  verified: 'proofs.signatureVerified',
  invalid: 'proofs.signatureInvalid',
  unverifiable: 'proofs.signatureUnverifiable',
} as const;

const roleKeys: Record<MediaProof['files'][number]['role'], MessageKey> = {
  c2pa_manifest: 'proofs.role.c2paManifest',
  proof_json: 'proofs.role.proofJson',
  proof_csv: 'proofs.role.proofCsv',
  media_signature: 'proofs.role.mediaSignature',
  proof_signature: 'proofs.role.proofSignature',
  public_key: 'proofs.role.publicKey',
  other: 'proofs.role.other',
  bundle: 'proofs.role.bundle',
};

function labelsOf(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    if (typeof entry === 'string') return [entry];
    const named = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)[field] : undefined;
    return typeof named === 'string' ? [named] : [];
  });
}

/**
 * The proofs a file came with (C2PA Content Credentials, ProofMode): two badges per proof, kept apart on purpose —
 * "claims present" (the proof was found and read) and the state of its signature — and the details on demand.
 */
export function MediaProofs({ proofs }: { proofs: readonly MediaProof[] }) {
  const { t, formatDateTime } = useI18n();
  if (proofs.length === 0) return null;
  return (
    <ul className="media-proofs" aria-label={t('proofs.title')}>
      {proofs.map((proof) => {
        const assertions = labelsOf(proof.claims.assertions, 'label');
        const actions = labelsOf(proof.claims.actions, 'action');
        return (
          <li key={proof.id} data-testid="media-proof" data-signature={proof.signature_state}>
            <details>
              <summary>
                <span className="badge badge-claims">
                  {t(proof.kind === 'c2pa' ? 'proofs.c2paPresent' : 'proofs.proofModePresent')}
                </span>
                <span className={`badge badge-signature-${proof.signature_state}`}>
                  {t(signatureKeys[proof.signature_state])}
                </span>
              </summary>
              <dl className="media-facts">
                {proof.generator !== null && (
                  <div>
                    <dt>{t('proofs.generator')}</dt>
                    <dd>
                      <bdi dir="ltr">{proof.generator}</bdi>
                    </dd>
                  </div>
                )}
                <div>
                  <dt>{t('proofs.signer')}</dt>
                  <dd>{proof.signer === null ? t('common.notRecorded') : <bdi dir="ltr">{proof.signer}</bdi>}</dd>
                </div>
                {proof.signed_at !== null && (
                  <div>
                    <dt>{t('proofs.signedAt')}</dt>
                    <dd>{formatDateTime(proof.signed_at)}</dd>
                  </div>
                )}
                <div>
                  <dt>{t('proofs.why')}</dt>
                  <dd>
                    <bdi dir="ltr">{proof.signature_reason}</bdi>
                  </dd>
                </div>
                {assertions.length > 0 && (
                  <div>
                    <dt>{t('proofs.assertions')}</dt>
                    <dd>
                      <bdi dir="ltr">{assertions.join(', ')}</bdi>
                    </dd>
                  </div>
                )}
                {actions.length > 0 && (
                  <div>
                    <dt>{t('proofs.actions')}</dt>
                    <dd>
                      <bdi dir="ltr">{actions.join(', ')}</bdi>
                    </dd>
                  </div>
                )}
                {proof.files.map((file) => (
                  <div key={`${file.role}-${file.sha256}`}>
                    <dt>{t(roleKeys[file.role])}</dt>
                    <dd className="media-hash" title={file.sha256}>
                      <bdi dir="ltr">{file.sha256.slice(0, 16)}…</bdi>
                    </dd>
                  </div>
                ))}
              </dl>
            </details>
          </li>
        );
      })}
    </ul>
  );
}
