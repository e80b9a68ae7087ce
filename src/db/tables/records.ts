// The records of what was found: sites, zones, items, markings (and their search keys), custody, media files
// with their links, proofs and derivatives (src/db/tables.ts).
import type { ColumnType, Generated } from 'kysely';
import type {
  DateOnly,
  DefaultedText,
  DefaultedTextArray,
  Json,
  MutableColumns,
  ReviewColumns,
  SensitivityColumns,
} from './columns.js';

export interface SitesTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  external_ref: string | null;
  site_type: string;
  name: string;
  names: Json;
  latitude: number | null;
  longitude: number | null;
  precision_m: number | null;
  area: Json | null;
  recovered_by: string | null;
  recovered_on: DateOnly | null;
  context: DefaultedText;
}

export interface ZonesTable extends MutableColumns {
  id: string;
  investigation_id: string;
  site_id: string;
  name: string;
  description: DefaultedText;
}

export interface ItemsTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  site_id: string;
  zone_id: string | null;
  external_ref: string | null;
  category: string;
  model: string | null;
  quantity: number;
  assembly_state: string | null;
  condition: string | null;
  production_type: string;
  observations: DefaultedText;
  tags: DefaultedTextArray;
  fuze_fitted: string | null;
  safety_device_fitted: string | null;
  disposal_status: string;
  disposal_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MarkingsTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  item_id: string;
  text: string;
  normalized: string;
  kind: string;
  position: string | null;
  script: string | null;
  legibility: string;
  /** Added by 0005_markings_search.sql: derived search forms, left out of audit snapshots; null until computed. */
  skeleton: ColumnType<string | null, string | null | undefined, string | null>;
  confusion_key: ColumnType<string | null, string | null | undefined, string | null>;
}

/**
 * Added by 0008_marking_search_keys.sql: every distinct confusion key of the
 * markings, with its segment pairs indexed (marking search). Derived, filled
 * by triggers on `markings`, not audited.
 */
export interface MarkingSearchKeysTable {
  confusion_key: string;
}

export interface CustodyEventsTable {
  id: string;
  investigation_id: string;
  item_id: string;
  from_party: string;
  to_party: string;
  occurred_at: Date;
  place: string | null;
  note: DefaultedText;
  created_by: string;
  created_at: Date;
}

export interface MediaTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  sha256: string;
  size_bytes: number;
  media_type: string;
  original_filename: string | null;
  captured_at: Date | null;
  captured_by: string | null;
  source_id: string | null;
  credit: string | null;
  licence: string | null;
  original_url: string | null;
  /** 64-bit dHash as 16 hex digits (images only). */
  /** Set once by the derivatives job (src/features/media/derivative-jobs.ts), audited; never changed after. */
  perceptual_hash: ColumnType<string | null, string | null | undefined, string>;
  pixel_width: ColumnType<number | null, number | null | undefined, never>;
  pixel_height: ColumnType<number | null, number | null | undefined, never>;
  exif_captured_at: ColumnType<Date | null, Date | null | undefined, never>;
  exif_latitude: ColumnType<number | null, number | null | undefined, never>;
  exif_longitude: ColumnType<number | null, number | null | undefined, never>;
  exif_device: ColumnType<string | null, string | null | undefined, never>;
}

export interface MediaLinksTable extends MutableColumns {
  id: string;
  investigation_id: string;
  media_id: string;
  site_id: string | null;
  item_id: string | null;
  marking_id: string | null;
  /** JSON array of review flags raised when the link was made. */
  review_flags: ColumnType<unknown, string | undefined, never>;
}

/** Added by 0020_media_proofs.sql: a C2PA manifest or ProofMode proof that came with a media file (append-only). */
export interface MediaProofsTable {
  id: string;
  investigation_id: string;
  media_id: string;
  /** 'c2pa' or 'proofmode' */
  kind: string;
  /** JSON object: what the proof says (generator, signer, assertions, actions, proof fields, validation codes). */
  claims: ColumnType<unknown, string, never>;
  /** 'verified', 'invalid' or 'unverifiable' */
  signature_state: string;
  signature_reason: string;
  /** JSON array of the proof's files kept in the evidence store: name, role, sha256, size_bytes. */
  files: ColumnType<unknown, string, never>;
  created_by: string;
  created_at: Date;
}

/** Whether an original's thumbnail, preview and perceptual hash are made (migration 0035); not audited. */
export interface MediaDerivativesTable {
  sha256: string;
  state: string;
  job_id: string | null;
  problem_code: string | null;
  problem_detail: string | null;
  updated_at: Generated<Date>;
}
