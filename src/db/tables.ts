// The Kysely table interfaces, written by hand beside the migrations (src/db/tables.test.ts keeps the two in step),
// grouped by area in src/db/tables/; this module names the whole database (DB) and the row types.
import type { Insertable, Selectable, Updateable } from 'kysely';
import type {
  ApiTokensTable,
  InvestigationSecondFactorTable,
  PendingSignInsTable,
  RecoveryCodesTable,
  SecondFactorsTable,
  SessionsTable,
  SignInThrottleTable,
  UsersTable,
} from './tables/accounts.js';
import type { InvestigationsTable, MembershipsTable, RestrictedGrantsTable } from './tables/investigations.js';
import type {
  CustodyEventsTable,
  ItemsTable,
  MarkingSearchKeysTable,
  MarkingsTable,
  MediaDerivativesTable,
  MediaLinksTable,
  MediaProofsTable,
  MediaTable,
  SitesTable,
  ZonesTable,
} from './tables/records.js';
import type {
  ActorsTable,
  IncidentItemsTable,
  IncidentSitesTable,
  IncidentsTable,
  ProvenanceClaimsTable,
  ReferenceImportsTable,
  ReferenceTransfersTable,
  SourcesTable,
  TraceRequestDocumentsTable,
  TraceRequestItemsTable,
  TraceRequestsTable,
} from './tables/tracing.js';
import type {
  AuditCheckpointSignaturesTable,
  AuditCheckpointTimestampsTable,
  AuditCheckpointsTable,
  AuditLogTable,
  BagImportRecordsTable,
  BagImportsTable,
  TrustedSigningKeysTable,
} from './tables/audit.js';
import type {
  FormSubmissionsTable,
  ImportMappingsTable,
  ImportUploadsTable,
  JobsTable,
  PrunedJobsTable,
  SchemaMigrationsTable,
  SyncOperationsTable,
} from './tables/system.js';

export type {
  ApiTokensTable,
  InvestigationSecondFactorTable,
  PendingSignInsTable,
  RecoveryCodesTable,
  SecondFactorsTable,
  SessionsTable,
  SignInThrottleTable,
  UsersTable,
} from './tables/accounts.js';
export type { InvestigationsTable, MembershipsTable, RestrictedGrantsTable } from './tables/investigations.js';
export type {
  CustodyEventsTable,
  ItemsTable,
  MarkingSearchKeysTable,
  MarkingsTable,
  MediaDerivativesTable,
  MediaLinksTable,
  MediaProofsTable,
  MediaTable,
  SitesTable,
  ZonesTable,
} from './tables/records.js';
export type {
  ActorsTable,
  IncidentItemsTable,
  IncidentSitesTable,
  IncidentsTable,
  ProvenanceClaimsTable,
  ReferenceImportsTable,
  ReferenceTransfersTable,
  SourcesTable,
  TraceRequestDocumentsTable,
  TraceRequestItemsTable,
  TraceRequestsTable,
} from './tables/tracing.js';
export type {
  AuditCheckpointSignaturesTable,
  AuditCheckpointTimestampsTable,
  AuditCheckpointsTable,
  AuditLogTable,
  BagImportRecordsTable,
  BagImportsTable,
  TrustedSigningKeysTable,
} from './tables/audit.js';
export type {
  FormSubmissionsTable,
  ImportMappingsTable,
  ImportUploadsTable,
  JobsTable,
  PrunedJobsTable,
  SchemaMigrationsTable,
  SyncOperationsTable,
} from './tables/system.js';

/** The whole database as Kysely sees it. */
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
