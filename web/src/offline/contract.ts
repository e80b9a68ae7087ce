// The offline sync contract (/work/sync-contract.md, POST /api/v1/sync and tus uploads at /api/v1/uploads/),
// as the web app sends and reads it. Written by hand until the server's schema is in docs/openapi.json.

export const operationTypes = [
  'site.create',
  'zone.create',
  'item.create',
  'marking.create',
  'site.update',
  'item.update',
  'item.disposal',
  'custody.create',
] as const;
export type OperationType = (typeof operationTypes)[number];

export interface SyncOperation {
  /** UUIDv7 made when the user saved: the idempotency key. */
  op_id: string;
  /** The device clock when the user saved. */
  captured_at: string;
  type: OperationType;
  investigation_id: string;
  /** For *.create the client UUIDv7 the record gets on the server; for updates the record's id. */
  record_id: string;
  /** Updates and item.disposal only: the version the device last saw. */
  base_version?: number;
  body: Record<string, unknown>;
}

export interface SyncRequest {
  device_id: string;
  device_time: string;
  operations: SyncOperation[];
}

export type ResultStatus = 'created' | 'applied' | 'already_applied' | 'rejected' | 'conflict' | 'blocked';

export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

export interface SyncProblem {
  code: string;
  detail: string;
  fields?: FieldProblem[];
}

export interface SyncResult {
  op_id: string;
  status: ResultStatus;
  record_type?: 'site' | 'zone' | 'item' | 'marking' | 'custody_event';
  record_id?: string;
  record?: Record<string, unknown>;
  problem?: SyncProblem;
  server_record?: Record<string, unknown>;
  server_version?: number;
}

export interface SyncResponse {
  server_time: string;
  clock_offset_seconds: number;
  clock_skew_flagged: boolean;
  results: SyncResult[];
}

/** At most this many operations go in one batch. */
export const maxBatchSize = 500;

/** The order the server applies operations in; the device sends them in the same order. */
export const dependencyRank: Record<OperationType, number> = {
  'site.create': 0,
  'zone.create': 1,
  'item.create': 2,
  'marking.create': 3,
  'custody.create': 4,
  'site.update': 4,
  'item.update': 4,
  'item.disposal': 4,
};

/** Statuses that mean "stored on the server": the record leaves the outbox. */
export const doneStatuses: ReadonlySet<ResultStatus> = new Set(['created', 'applied', 'already_applied']);

export const syncPath = '/api/v1/sync';
export const uploadsPath = '/api/v1/uploads/';
