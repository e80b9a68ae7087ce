import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';

/** What a device may send in a batch (docs: /work/sync-contract.md, docs/architecture.md). */
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
export const operationTypeSchema = z.enum(operationTypes);
export type OperationType = z.infer<typeof operationTypeSchema>;

export const recordTypes = ['site', 'zone', 'item', 'marking', 'custody_event'] as const;
export const recordTypeSchema = z.enum(recordTypes);
export type RecordType = z.infer<typeof recordTypeSchema>;

/** The record each operation writes. */
export const recordTypeOf: Record<OperationType, RecordType> = {
  'site.create': 'site',
  'zone.create': 'zone',
  'item.create': 'item',
  'marking.create': 'marking',
  'site.update': 'site',
  'item.update': 'item',
  'item.disposal': 'item',
  'custody.create': 'custody_event',
};

/** Operations that change an existing record and so name the version the device last saw. */
export const versionedOperations: readonly OperationType[] = ['site.update', 'item.update', 'item.disposal'];

/** A clock more than this far from the server's is flagged on every operation of the batch. */
export const CLOCK_SKEW_LIMIT_SECONDS = 600;
export const MAX_OPERATIONS_PER_BATCH = 500;

const isoWithZoneSchema = z.iso.datetime({ offset: true });

export const syncOperationSchema = z.object({
  op_id: z.uuid().describe('Generated on the device when the user saved (UUIDv7): the idempotency key'),
  captured_at: isoWithZoneSchema.describe('The device clock when the user saved (ISO 8601 with zone)'),
  type: operationTypeSchema,
  investigation_id: z.uuid(),
  record_id: z
    .uuid()
    .describe('For *.create the client-generated id the new record gets; for updates the id of the record changed'),
  base_version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('site.update, item.update, item.disposal: the version the device last saw'),
  body: z
    .record(z.string(), z.unknown())
    .describe(
      'The body of the matching REST write: zone.create adds site_id; marking.create and custody.create add item_id; updates leave out version',
    ),
});
export type SyncOperation = z.infer<typeof syncOperationSchema>;

export const syncRequestSchema = z.object({
  device_id: z.uuid().describe('Random, kept by the device'),
  device_time: isoWithZoneSchema.describe('The device clock when the batch is sent'),
  operations: z.array(syncOperationSchema).max(MAX_OPERATIONS_PER_BATCH),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const syncStatuses = ['created', 'applied', 'already_applied', 'rejected', 'conflict', 'blocked'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

const resultProblemSchema = z.object({
  code: z.string(),
  title: z.string(),
  status: z.number().int().describe('The HTTP status the same problem has on the REST route'),
  detail: z.string(),
  fields: z.array(z.object({ field: z.string(), message: z.string() }).loose()).optional(),
});
export type ResultProblem = z.infer<typeof resultProblemSchema>;

const storedRecordSchema = z
  .record(z.string(), z.unknown())
  .describe('The stored record as its REST GET returns it (record_type says which)');

export const syncResultSchema = z.object({
  op_id: z.uuid(),
  status: z
    .enum(syncStatuses)
    .describe(
      'created/applied: written now; already_applied: written before (replay); rejected: refused, see problem; ' +
        'conflict: stale base_version, see server_record; blocked: retry later (dependency_missing, or a passing server error)',
    ),
  record_type: recordTypeSchema,
  record_id: z.uuid(),
  record: storedRecordSchema.optional(),
  problem: resultProblemSchema.optional(),
  server_record: storedRecordSchema.optional(),
  server_version: z.number().int().optional(),
});
export type SyncResult = z.infer<typeof syncResultSchema>;

export const syncResponseSchema = z.object({
  server_time: z.string().describe('When the server received the batch'),
  clock_offset_seconds: z.number().describe('device_time − server_time'),
  clock_skew_flagged: z.boolean().describe(`|clock_offset_seconds| > ${CLOCK_SKEW_LIMIT_SECONDS}`),
  results: z.array(syncResultSchema).describe('One per operation, in the order of the request'),
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

/** An applied operation as recorded: what the device said and when the server received it. */
export const syncOperationRecordSchema = z.object({
  op_id: z.uuid(),
  user_id: z.uuid(),
  investigation_id: z.uuid(),
  operation_type: operationTypeSchema,
  record_type: recordTypeSchema,
  record_id: z.uuid(),
  body_sha256: z.string().describe('SHA-256 of the canonical JSON of the operation as sent'),
  device_id: z.uuid(),
  captured_at: z.string().describe('The device clock when the user saved, in UTC'),
  captured_at_as_sent: z.string().describe('The same, exactly as the device wrote it'),
  device_time: z.string().describe('The device clock when the batch was sent'),
  received_at: z.string().describe('The server clock when the batch arrived'),
  clock_offset_seconds: z.number(),
  clock_skew_flagged: z.boolean(),
});
export type SyncOperationRecord = z.infer<typeof syncOperationRecordSchema>;
export const syncOperationPageSchema = pageSchema(syncOperationRecordSchema);

export const syncOperationListQuerySchema = pageQuerySchema.omit({ include_archived: true }).extend({
  record_id: z.uuid().optional().describe('Only the operations that wrote this record'),
  clock_skew_flagged: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .describe('Only operations from a device whose clock was (true) or was not (false) flagged'),
});
export type SyncOperationListQuery = z.output<typeof syncOperationListQuerySchema>;
