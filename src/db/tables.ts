import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Columns every mutable record carries: optimistic version and audited tombstone. */
interface MutableColumns {
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
  archived_at: Date | null;
  archive_reason: string | null;
}

type DefaultedText = ColumnType<string, string | undefined, string>;
type DefaultedTextArray = ColumnType<string[], string[] | undefined, string[]>;
type Json = ColumnType<unknown, string, string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/**
 * Added by 0018_review.sql: the review state of sites, items, markings, provenance claims and media (draft,
 * submitted, verified, published), the version last verified (kept when a correction sends the record back to
 * submitted) and who verified and published it when.
 */
interface ReviewColumns {
  review_state: DefaultedText;
  verified_version: Defaulted<number | null>;
  verified_by: Defaulted<string | null>;
  verified_at: Defaulted<Date | null>;
  published_by: Defaulted<string | null>;
  published_at: Defaulted<Date | null>;
  /** Added by 0027_unpublish.sql: the last time an owner took the record back from publication, and why. */
  unpublished_by: Defaulted<string | null>;
  unpublished_at: Defaulted<Date | null>;
  unpublish_reason: Defaulted<string | null>;
}

/**
 * Added by 0025_sensitivity.sql: who may see a record (public < partners < internal < restricted) and why. An
 * insert that gives no level takes the investigation's `default_sensitivity` (a trigger fills it in); a reason is
 * required for `restricted`.
 */
interface SensitivityColumns {
  sensitivity: DefaultedText;
  sensitivity_reason: Defaulted<string | null>;
}

/** `date` columns travel as ISO `YYYY-MM-DD` strings on both drivers (see database.ts). */
type DateOnly = string;

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
  archived_at: Date | null;
  archive_reason: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  /** What the browser sent as User-Agent at sign-in (first 500 characters). */
  user_agent: Generated<string | null>;
  last_used_at: Generated<Date | null>;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
  /** 'read' or 'read_write' */
  scope: ColumnType<string, string | undefined, string>;
  investigation_id: string | null;
}

export interface InvestigationsTable extends MutableColumns {
  id: string;
  title: string;
  summary: DefaultedText;
  /** Added by 0018_review.sql: what may be published, 'verified' (only verified records) or 'submitted'. */
  publication_rule: DefaultedText;
  /** Added by 0025_sensitivity.sql: the sensitivity new records take when the writer gives none. */
  default_sensitivity: DefaultedText;
  default_sensitivity_reason: Defaulted<string | null>;
}

/** Added by 0025_sensitivity.sql: a role (besides owners) granted sight of an investigation's restricted records. */
export interface RestrictedGrantsTable {
  investigation_id: string;
  role: string;
  granted_by: string;
  granted_at: Generated<Date>;
}

export interface MembershipsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  user_id: string;
  role: string;
}

export interface SourcesTable extends MutableColumns {
  id: string;
  investigation_id: string;
  kind: string;
  title: string;
  publisher: string | null;
  url: string | null;
  language: string | null;
  published_on: DateOnly | null;
  excerpt: string | null;
  credit_line: string | null;
  reliability: string | null;
  credibility: number | null;
  notes: DefaultedText;
}

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

export interface IncidentsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  incident_type: string;
  title: string;
  occurred_on: DateOnly | null;
  site_id: string | null;
  latitude: number | null;
  longitude: number | null;
  place: string | null;
  killed: number | null;
  injured: number | null;
  description: DefaultedText;
  source_id: string | null;
}

export interface IncidentItemsTable {
  incident_id: string;
  item_id: string;
  investigation_id: string;
}

/** Added by 0017_incident_sites.sql: the sites an incident involves (incidents.site_id is the first of them). */
export interface IncidentSitesTable {
  incident_id: string;
  site_id: string;
  investigation_id: string;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ActorsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  actor_type: string;
  name: string;
  aliases: DefaultedTextArray;
  country_code: string | null;
  notes: DefaultedText;
  /** Added by 0002_actors_tracing.sql: name and aliases, NFKC and lower case, one per line. */
  names_folded: string;
}

export interface TraceRequestsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  addressee_id: string;
  subject: string;
  lot_marking: string | null;
  status: DefaultedText;
  sent_on: DateOnly | null;
  due_on: DateOnly | null;
  response_text: string | null;
}

export interface TraceRequestItemsTable {
  trace_request_id: string;
  item_id: string;
  investigation_id: string;
}

export interface ProvenanceClaimsTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  item_id: string | null;
  lot_marking: string | null;
  /** Added by 0002_actors_tracing.sql: the lot marking normalized like markings.normalized. */
  lot_normalized: string | null;
  event_type: string;
  actor_id: string | null;
  counterpart_id: string | null;
  occurred_from: DateOnly | null;
  occurred_to: DateOnly | null;
  place: string | null;
  source_id: string | null;
  trace_request_id: string | null;
  confidence: string;
  notes: DefaultedText;
}

export interface TraceRequestDocumentsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  trace_request_id: string;
  media_id: string;
  kind: string;
  description: DefaultedText;
}

/** Added by 0006_tracing.sql: one import of a reference file (append-only). */
export interface ReferenceImportsTable {
  id: string;
  dataset: string;
  file_name: string;
  sha256: string;
  encoding: string;
  preamble: string;
  row_count: number;
  created_by: string;
  created_at: Date;
}

/** Added by 0006_tracing.sql: one deal of the SIPRI trade register (append-only). */
export interface ReferenceTransfersTable {
  id: string;
  import_id: string;
  line_number: number;
  supplier: string;
  supplier_kind: string;
  recipient: string;
  recipient_kind: string;
  order_year: number | null;
  order_year_uncertain: boolean;
  number_ordered: number | null;
  number_ordered_uncertain: boolean;
  designation: string;
  designation_keys: string[];
  description: string;
  number_delivered: number | null;
  number_delivered_uncertain: boolean;
  delivery_years: number[];
  status: string;
  comments: string;
  tiv_per_unit: number | null;
  tiv_total_order: number | null;
  tiv_delivered: number | null;
}

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

/** One operation received from a device's outbox and applied (offline sync); append-only. */
export interface SyncOperationsTable {
  op_id: string;
  user_id: string;
  investigation_id: string;
  operation_type: string;
  record_type: string;
  record_id: string;
  body_sha256: string;
  device_id: string;
  captured_at: Date;
  captured_at_as_sent: string;
  device_time: Date;
  received_at: Date;
  clock_offset_seconds: number;
  clock_skew_flagged: boolean;
}

/** Added by 0016_form_submissions.sql: one imported ODK / KoboToolbox submission (append-only). */
export interface FormSubmissionsTable {
  id: string;
  investigation_id: string;
  /** The collecting device's instance ID (`uuid:…`), unique in the investigation: the import's idempotency key. */
  instance_id: string;
  /** 'odk_central_csv', 'odk_central_odata', 'kobo_csv' or 'kobo_json' */
  export_format: string;
  form_id: string | null;
  form_version: string | null;
  item_id: string;
  site_id: string;
  submitter: string | null;
  device_started_as_sent: string | null;
  device_started_at: Date | null;
  device_ended_as_sent: string | null;
  device_ended_at: Date | null;
  submitted_at: Date | null;
  geopoint_as_sent: string | null;
  import_id: string;
  imported_by: string;
  imported_at: Date;
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

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Date;
}

/** The whole database as Kysely sees it. */
export interface SignInThrottleTable {
  id: string;
  /** `account:<username>` or `address:<client address>` */
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** A user's TOTP secret (migration 0012); `enabled_at` null while enrolment waits for a first code. */
export interface SecondFactorsTable {
  user_id: string;
  secret: string;
  enabled_at: Date | null;
  /** RFC 6238 time step of the last code accepted: a code is never accepted twice. */
  last_used_step: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Date;
  used_at: Date | null;
}

export interface PendingSignInsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface InvestigationSecondFactorTable {
  investigation_id: string;
  required: boolean;
  updated_at: Date;
  updated_by: string;
}

/** A column mapping of the tabular import, kept under a name in an investigation (migration 0015). */
export interface ImportMappingsTable {
  id: string;
  investigation_id: string;
  name: string;
  /** Header → field name or null, as JSON. */
  mapping: unknown;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A job: long work run by the job queue (src/jobs/); state, progress and result as the API shows them. */
export interface JobsTable {
  id: string;
  name: string;
  payload: Json;
  singleton_key: string | null;
  investigation_id: string | null;
  /** null: one of the instance's own periodic jobs (pruning), asked for by nobody. */
  created_by: string | null;
  runner: DefaultedText;
  state: DefaultedText;
  attempts: Defaulted<number>;
  max_attempts: number;
  run_after: Generated<Date>;
  progress_done: number | null;
  progress_total: number | null;
  progress_message: string | null;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  problem_code: string | null;
  problem_detail: string | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
}

/** A file uploaded for an import, kept in the evidence store's staging area until confirmed or expired. */
export interface ImportUploadsTable {
  /** The staging object's name (`staging/<id>`). */
  id: string;
  user_id: string;
  investigation_id: string;
  sha256: string;
  size_bytes: number;
  created_at: Generated<Date>;
  expires_at: Date;
}

/** What is left of a job pruned after ARMTRACE_JOB_RESULTS_DAYS: GET /jobs/{id} answers 410 (job_pruned). */
export interface PrunedJobsTable {
  id: string;
  name: string;
  investigation_id: string | null;
  created_by: string | null;
  finished_at: Date | null;
  pruned_at: Generated<Date>;
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

export interface DB {
  import_mappings: ImportMappingsTable;
  import_uploads: ImportUploadsTable;
  sign_in_throttle: SignInThrottleTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  investigation_second_factor: InvestigationSecondFactorTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  investigations: InvestigationsTable;
  memberships: MembershipsTable;
  sources: SourcesTable;
  sites: SitesTable;
  zones: ZonesTable;
  items: ItemsTable;
  markings: MarkingsTable;
  marking_search_keys: MarkingSearchKeysTable;
  media: MediaTable;
  media_links: MediaLinksTable;
  custody_events: CustodyEventsTable;
  incidents: IncidentsTable;
  incident_items: IncidentItemsTable;
  incident_sites: IncidentSitesTable;
  actors: ActorsTable;
  trace_requests: TraceRequestsTable;
  trace_request_items: TraceRequestItemsTable;
  provenance_claims: ProvenanceClaimsTable;
  trace_request_documents: TraceRequestDocumentsTable;
  reference_imports: ReferenceImportsTable;
  reference_transfers: ReferenceTransfersTable;
  audit_log: AuditLogTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_checkpoint_timestamps: AuditCheckpointTimestampsTable;
  sync_operations: SyncOperationsTable;
  form_submissions: FormSubmissionsTable;
  trusted_signing_keys: TrustedSigningKeysTable;
  audit_checkpoint_signatures: AuditCheckpointSignaturesTable;
  bag_imports: BagImportsTable;
  bag_import_records: BagImportRecordsTable;
  media_proofs: MediaProofsTable;
  jobs: JobsTable;
  pruned_jobs: PrunedJobsTable;
  media_derivatives: MediaDerivativesTable;
  restricted_grants: RestrictedGrantsTable;
  schema_migrations: SchemaMigrationsTable;
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
