// Offline sync, form and tabular imports, jobs and the migrations applied (src/db/tables.ts).
import type { ColumnType, Generated } from 'kysely';
import type { Defaulted, DefaultedText, Json } from './columns.js';

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

/** What is left of a job pruned after ARMTRACE_JOB_RESULTS_DAYS: GET /jobs/{id} answers 410 (job_pruned). */
export interface PrunedJobsTable {
  id: string;
  name: string;
  investigation_id: string | null;
  created_by: string | null;
  finished_at: Date | null;
  pruned_at: Generated<Date>;
}

export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Date;
}
