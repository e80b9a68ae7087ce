// The audit chain, its checkpoints (timestamps, signatures), trusted keys and signed bags imported
// (src/db/tables.ts).
import type { Generated } from 'kysely';
import type { Json, MutableColumns } from './columns.js';

export interface AuditLogTable {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_label: string;
  via: string;
  action: string;
  entity_type: string;
  entity_id: string;
  investigation_id: string | null;
  before: Json | null;
  after: Json | null;
  prev_hash: string;
  hash: string;
}

export interface AuditCheckpointsTable {
  id: string;
  seq: number;
  hash: string;
  entries: number;
  created_by: string | null;
  created_by_label: string;
  created_at: Date;
  note: string | null;
}

/** The RFC 3161 timestamp token of an audit checkpoint (migration 0024); append-only. */
export interface AuditCheckpointTimestampsTable {
  checkpoint_id: string;
  /** The token (CMS SignedData over TSTInfo, DER) as the TSA sent it. */
  token: Uint8Array;
  imprint_sha256: string;
  gen_time: Date;
  tsa_name: string;
  tsa_url: string;
  created_at: Generated<Date>;
}

/** Added by 0019_signing.sql: the instance's signature of one audit checkpoint (append-only). */
export interface AuditCheckpointSignaturesTable {
  checkpoint_id: string;
  algorithm: string;
  signer_fingerprint: string;
  signer_name: string;
  public_key_pem: string;
  /** Base64 of the 64-byte Ed25519 signature. */
  signature: string;
  signed_at: Date;
}

/** Added by 0019_signing.sql: a partner's Ed25519 public key trusted to sign bags. */
export interface TrustedSigningKeysTable extends MutableColumns {
  id: string;
  /** SHA-256 of the key's SubjectPublicKeyInfo (DER), in hex. */
  fingerprint: string;
  name: string;
  public_key_pem: string;
  note: string | null;
}

/** Added by 0019_signing.sql: one signed bag imported into an investigation (append-only). */
export interface BagImportsTable {
  id: string;
  investigation_id: string;
  /** SHA-256 of the bag's tagmanifest-sha256.txt. */
  bag_sha256: string;
  signer_fingerprint: string;
  signer_name: string;
  bagging_date: string | null;
  exported_at: string | null;
  origin_investigation: string | null;
  source_id: string;
  imported_by: string;
  imported_at: Date;
}

/** Added by 0019_signing.sql: a record a bag import created, with the id it had in the bag (append-only). */
export interface BagImportRecordsTable {
  id: string;
  bag_import_id: string;
  investigation_id: string;
  bag_sha256: string;
  record_type: string;
  original_id: string;
  record_id: string;
}
