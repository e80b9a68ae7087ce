// Proofs that come with a media file (C2PA manifests, ProofMode proofs): their files are kept in the evidence store
// beside the original, addressed by their SHA-256 like any original (never the original altered), and recorded in
// `media_proofs` (append-only, audited as `media_proof.create`) in the transaction that records the media.
import { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { toJsonRecord } from '../../db/serialize.js';
import type { Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { recordChange } from '../audit/service.js';
import type { ProofFileRole, ProofReading } from './proof-types.js';
import type { MediaProof } from './schema.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';

export interface StoredProofFile {
  name: string;
  role: ProofFileRole;
  sha256: string;
  size_bytes: number;
}

/** A proof whose files are in the store, ready to be recorded. */
export interface StoredProof {
  kind: ProofReading['kind'];
  claims: Record<string, unknown>;
  signatureState: ProofReading['signatureState'];
  signatureReason: string;
  files: StoredProofFile[];
}

/**
 * Puts a proof's files into the evidence store (each kept once, by its hash), adding files already stored (the
 * bundle a proof came in).
 *
 * @example
 * const stored = await storeProof(store, reading, [{ name: 'bundle.zip', role: 'bundle', sha256, size_bytes }]);
 */
export async function storeProof(
  store: EvidenceStore,
  reading: ProofReading,
  alreadyStored: StoredProofFile[] = [],
): Promise<StoredProof> {
  const files: StoredProofFile[] = [];
  for (const file of reading.files) {
    const { sha256, sizeBytes } = await store.put(Readable.from([file.bytes]), { maxBytes: file.bytes.length });
    files.push({ name: file.name, role: file.role, sha256, size_bytes: sizeBytes });
  }
  return {
    kind: reading.kind,
    claims: reading.claims,
    signatureState: reading.signatureState,
    signatureReason: reading.signatureReason,
    files: [...files, ...alreadyStored],
  };
}

/**
 * A JSON value PostgreSQL's jsonb can hold exactly as read back: it refuses NUL characters and lone surrogates,
 * which a file's text may carry. The claims are a summary; the proof's own bytes are kept unchanged in the store.
 */
function storableJson(value: unknown): unknown {
  if (typeof value === 'string')
    return value
      .replaceAll(String.fromCharCode(0), '\uFFFD')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [storableJson(key), storableJson(entry)]));
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** Records a stored proof of a media record and audits it, in the caller's transaction. */
export async function recordProof(
  trx: Tx,
  actor: Actor,
  media: { id: string; investigation_id: string },
  proof: StoredProof,
): Promise<Row<'media_proofs'>> {
  const row = await trx
    .insertInto('media_proofs')
    .values({
      id: uuidv7(),
      investigation_id: media.investigation_id,
      media_id: media.id,
      kind: proof.kind,
      claims: JSON.stringify(storableJson(proof.claims)),
      signature_state: proof.signatureState,
      signature_reason: storableJson(proof.signatureReason) as string,
      files: JSON.stringify(storableJson(proof.files)),
      created_by: actor.userId,
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordChange(trx, actor, {
    action: 'media_proof.create',
    entityType: 'media_proofs',
    entityId: row.id,
    investigationId: media.investigation_id,
    after: row,
  });
  return row;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The API form of a proof: the row, with who signed it and when read out of its claims. */
export function toMediaProof(row: Row<'media_proofs'>): MediaProof {
  const record = toJsonRecord(row);
  const claims = (row.claims ?? {}) as Record<string, unknown>;
  const signer = (claims.signer ?? null) as Record<string, unknown> | null;
  let signerText: string | null = null;
  let signedAt: string | null = null;
  let generator: string | null = null;
  if (row.kind === 'c2pa') {
    signerText = text(signer?.subject);
    signedAt = text(claims.signed_at);
    generator = text(claims.claim_generator);
  } else {
    const userIds = Array.isArray(signer?.user_ids)
      ? (signer.user_ids as unknown[]).filter((id) => typeof id === 'string')
      : [];
    const fingerprint = text(signer?.fingerprint);
    signerText = signer === null ? null : [...userIds, fingerprint ?? ''].filter((part) => part !== '').join(' · ');
    const signatures = Array.isArray(claims.signatures) ? (claims.signatures as Record<string, unknown>[]) : [];
    signedAt = text(signatures[0]?.signed_at);
    generator = 'ProofMode';
  }
  return {
    id: record.id,
    media_id: record.media_id,
    kind: row.kind as MediaProof['kind'],
    claims_present: true,
    signature_state: row.signature_state as MediaProof['signature_state'],
    signature_reason: row.signature_reason,
    generator,
    signer: signerText,
    signed_at: signedAt,
    claims,
    files: row.files as MediaProof['files'],
    created_by: record.created_by,
    created_at: record.created_at,
  };
}

/** The proofs of some media records, by media id, oldest first. */
export async function listProofsOf(db: Queryable, mediaIds: readonly string[]): Promise<Map<string, MediaProof[]>> {
  const byMedia = new Map<string, MediaProof[]>();
  if (mediaIds.length === 0) return byMedia;
  const rows = await db
    .selectFrom('media_proofs')
    .selectAll()
    .where('media_id', 'in', [...mediaIds])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byMedia.get(row.media_id) ?? [];
    list.push(toMediaProof(row));
    byMedia.set(row.media_id, list);
  }
  return byMedia;
}
