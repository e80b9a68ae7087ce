import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { translateDatabaseError } from '../../db/postgres-errors.js';
import { canonicalJson, toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById, type Queryable, type Tx } from '../../db/versioned.js';
import { DomainError, toProblem } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { addCustodyEvent } from '../custody/service.js';
import type { CreateCustodyEventInput } from '../custody/schema.js';
import type { CreateItemInput, DisposalInput, UpdateItemInput } from '../items/schema.js';
import { createItem, getItem, setDisposalStatus, updateItem } from '../items/service.js';
import type { CreateMarkingInput } from '../markings/schema.js';
import { createMarking, getMarking } from '../markings/service.js';
import type { CreateSiteInput, CreateZoneInput, UpdateSiteInput } from '../sites/schema.js';
import { createSite, createZone, getSite, updateSite } from '../sites/service.js';
import * as repository from './repository.js';
import {
  CLOCK_SKEW_LIMIT_SECONDS,
  recordTypeOf,
  syncRequestSchema,
  versionedOperations,
  type OperationType,
  type RecordType,
  type ResultProblem,
  type SyncOperation,
  type SyncOperationListQuery,
  type SyncOperationRecord,
  type SyncRequest,
  type SyncResponse,
  type SyncResult,
} from './schema.js';

type StoredRecord = Record<string, unknown>;

/** Parents before children: a batch may hold a site, its zones, its items and their markings together. */
const applyOrder: Record<OperationType, number> = {
  'site.create': 0,
  'zone.create': 1,
  'item.create': 2,
  'marking.create': 3,
  'custody.create': 4,
  'site.update': 4,
  'item.update': 4,
  'item.disposal': 4,
};

export interface SyncOptions {
  /** When the server received the batch; now by default (tests pass a fixed time). */
  receivedAt?: Date;
  /** Told about unexpected errors, which leave the operation `blocked` for a later retry. */
  onInternalError?: (error: unknown, operation: SyncOperation) => void;
}

interface BatchContext {
  deviceId: string;
  deviceTime: Date;
  receivedAt: Date;
  offsetSeconds: number;
  skewFlagged: boolean;
  onInternalError: ((error: unknown, operation: SyncOperation) => void) | undefined;
}

/** SHA-256 of what the operation asks for; the same op_id must always come with the same digest. */
export function operationDigest(operation: SyncOperation): string {
  const { type, investigation_id, record_id, base_version, body } = operation;
  return createHash('sha256')
    .update(canonicalJson({ type, investigation_id, record_id, base_version: base_version ?? null, body }))
    .digest('hex');
}

function toOperationRecord(row: Row<'sync_operations'>): SyncOperationRecord {
  return {
    ...toJsonRecord(row),
    operation_type: row.operation_type as OperationType,
    record_type: row.record_type as RecordType,
  };
}

function resultProblem(error: unknown): ResultProblem {
  const { code, title, status, detail, fields } = toProblem(error);
  return { code, title, status, detail, ...(fields === undefined ? {} : { fields }) };
}

const uuidField = (field: string) => z.object({ [field]: z.uuid() });
const optionalUuidField = (field: string) => z.object({ [field]: z.uuid().nullish() });

/** The id a body names in `field` (zone.create's site_id…); a missing or malformed one is a field error. */
function parentId(body: StoredRecord, field: string): string {
  return uuidField(field).parse(body)[field] as string;
}

function optionalParentId(body: StoredRecord, field: string): string | undefined {
  const parsed = optionalUuidField(field).safeParse(body);
  const value = parsed.success ? parsed.data[field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function without(body: StoredRecord, field: string): StoredRecord {
  const { [field]: _dropped, ...rest } = body;
  return rest;
}

/** A create body with the operation's record id; an `id` in the body must be the same. */
function createBody(operation: SyncOperation): StoredRecord {
  const given = operation.body.id;
  if (given !== undefined && given !== operation.record_id) {
    throw new DomainError('validation_failed', 'The body names another id than record_id.', [
      { field: 'id', message: 'must equal record_id or be left out' },
    ]);
  }
  return { ...operation.body, id: operation.record_id };
}

function updateBody(operation: SyncOperation): StoredRecord {
  if (operation.base_version === undefined) {
    throw new DomainError('validation_failed', `${operation.type} needs base_version, the version the device saw.`, [
      { field: 'base_version', message: 'required for updates' },
    ]);
  }
  return { ...without(operation.body, 'version'), version: operation.base_version };
}

async function investigationOf(
  trx: Queryable,
  table: 'sites' | 'zones' | 'items',
  id: string,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom(table as 'items')
    .select('investigation_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.investigation_id;
}

/**
 * Checks that every record the operation needs exists in its investigation.
 * One that does not exist at all may still be on its way (its create is in a
 * later batch, or was refused): the operation is blocked, not refused. One
 * in another investigation is refused like a wrong reference on the REST route.
 */
async function requireDependencies(trx: Queryable, operation: SyncOperation): Promise<void> {
  const needs: { table: 'sites' | 'zones' | 'items'; id: string; field: string }[] = [];
  const body = operation.body;
  switch (operation.type) {
    case 'site.create':
      break;
    case 'zone.create':
      needs.push({ table: 'sites', id: parentId(body, 'site_id'), field: 'site_id' });
      break;
    case 'item.create':
    case 'item.update': {
      if (operation.type === 'item.update') needs.push({ table: 'items', id: operation.record_id, field: 'record_id' });
      const siteId = optionalParentId(body, 'site_id');
      const zoneId = optionalParentId(body, 'zone_id');
      if (siteId !== undefined) needs.push({ table: 'sites', id: siteId, field: 'site_id' });
      if (zoneId !== undefined) needs.push({ table: 'zones', id: zoneId, field: 'zone_id' });
      break;
    }
    case 'marking.create':
    case 'custody.create':
      needs.push({ table: 'items', id: parentId(body, 'item_id'), field: 'item_id' });
      break;
    case 'site.update':
      needs.push({ table: 'sites', id: operation.record_id, field: 'record_id' });
      break;
    case 'item.disposal':
      needs.push({ table: 'items', id: operation.record_id, field: 'record_id' });
      break;
  }
  for (const need of needs) {
    const investigationId = await investigationOf(trx, need.table, need.id);
    if (investigationId === undefined) {
      throw new DomainError(
        'dependency_missing',
        `${need.field} ${need.id} is not on the server yet; send the operation that creates it first.`,
        [{ field: need.field, message: 'not on the server yet' }],
      );
    }
    if (investigationId !== operation.investigation_id) {
      throw new DomainError(
        need.field === 'record_id' ? 'not_found' : 'reference_invalid',
        `${need.field} ${need.id} is not a record of investigation ${operation.investigation_id}.`,
        [{ field: need.field, message: 'not in this investigation' }],
      );
    }
  }
}

/**
 * Operations whose service already checks the role in the operation's
 * investigation and whose parents the database ties to it (composite foreign
 * keys): they are written without checking first, and a failure is explained
 * afterwards. The bulk of a batch (items) so costs no extra queries.
 */
const selfChecking: ReadonlySet<OperationType> = new Set(['site.create', 'item.create']);

/** Why a self-checking operation failed: no access, a parent not on the server yet (blocked), or its own error. */
async function explainFailure(
  db: Kysely<DB>,
  actor: Actor,
  operation: SyncOperation,
  error: unknown,
): Promise<unknown> {
  if (!(error instanceof DomainError) && translateDatabaseError(error) === error) return error;
  try {
    await requireRole(db, actor, operation.investigation_id, 'investigator');
    await requireDependencies(db, operation);
  } catch (explained) {
    return explained;
  }
  return error;
}

/** Writes the record through the same service as the REST route, inside the caller's transaction. */
async function writeRecord(trx: Tx, actor: Actor, operation: SyncOperation): Promise<StoredRecord> {
  const { investigation_id: investigationId, record_id: recordId, body } = operation;
  switch (operation.type) {
    case 'site.create':
      return createSite(trx, actor, investigationId, createBody(operation) as CreateSiteInput);
    case 'zone.create':
      return createZone(
        trx,
        actor,
        parentId(body, 'site_id'),
        without(createBody(operation), 'site_id') as CreateZoneInput,
      );
    case 'item.create':
      return createItem(trx, actor, investigationId, createBody(operation) as CreateItemInput);
    case 'marking.create':
      return createMarking(
        trx,
        actor,
        parentId(body, 'item_id'),
        without(createBody(operation), 'item_id') as CreateMarkingInput,
      );
    case 'custody.create':
      return addCustodyEvent(
        trx,
        actor,
        parentId(body, 'item_id'),
        without(createBody(operation), 'item_id') as CreateCustodyEventInput,
      );
    case 'site.update':
      return updateSite(trx, actor, recordId, updateBody(operation) as UpdateSiteInput);
    case 'item.update':
      return updateItem(trx, actor, recordId, updateBody(operation) as UpdateItemInput);
    case 'item.disposal':
      return setDisposalStatus(trx, actor, recordId, updateBody(operation) as DisposalInput);
  }
}

/** The record as its REST GET returns it (zones and custody events have no GET of their own: the row). */
async function readRecord(db: Kysely<DB>, actor: Actor, type: RecordType, id: string): Promise<StoredRecord> {
  switch (type) {
    case 'site':
      return getSite(db, actor, id);
    case 'item':
      return getItem(db, actor, id);
    case 'marking':
      return getMarking(db, actor, id);
    case 'zone': {
      const zone = await findById(db, 'zones', id);
      await requireRole(db, actor, zone.investigation_id, 'viewer');
      return toJsonRecord(zone);
    }
    case 'custody_event': {
      const event = await db.selectFrom('custody_events').selectAll().where('id', '=', id).executeTakeFirst();
      if (event === undefined) throw new DomainError('not_found', `Custody event ${id} does not exist.`);
      await requireRole(db, actor, event.investigation_id, 'viewer');
      return toJsonRecord(event);
    }
  }
}

async function replayResult(
  db: Kysely<DB>,
  actor: Actor,
  operation: SyncOperation,
  previous: Row<'sync_operations'>,
  digest: string,
): Promise<SyncResult> {
  const base = { op_id: operation.op_id, record_type: recordTypeOf[operation.type], record_id: operation.record_id };
  if (previous.user_id !== actor.userId || previous.body_sha256 !== digest) {
    return {
      ...base,
      status: 'rejected',
      problem: resultProblem(
        new DomainError(
          'idempotency_key_reused',
          `Operation ${operation.op_id} was applied before with a different content; send a changed record with a new op_id.`,
          [{ field: 'op_id', message: 'already used for another operation' }],
        ),
      ),
    };
  }
  const record = await readRecord(db, actor, base.record_type, operation.record_id).catch(() => undefined);
  return { ...base, status: 'already_applied', ...(record === undefined ? {} : { record }) };
}

async function applyOperation(
  db: Kysely<DB>,
  actor: Actor,
  operation: SyncOperation,
  context: BatchContext,
  previous: Row<'sync_operations'> | undefined,
): Promise<SyncResult> {
  const recordType = recordTypeOf[operation.type];
  const base = { op_id: operation.op_id, record_type: recordType, record_id: operation.record_id };
  const digest = operationDigest(operation);
  if (previous !== undefined) return replayResult(db, actor, operation, previous, digest);
  const isUpdate = versionedOperations.includes(operation.type);
  try {
    const written = await db.transaction().execute(async (trx) => {
      if (!selfChecking.has(operation.type)) {
        // Access first, so an outsider learns nothing about which records exist.
        await requireRole(trx, actor, operation.investigation_id, 'investigator');
        await requireDependencies(trx, operation);
      }
      const record = await writeRecord(trx, actor, operation);
      const received = await repository.insertOperation(trx, {
        op_id: operation.op_id,
        user_id: actor.userId,
        investigation_id: operation.investigation_id,
        operation_type: operation.type,
        record_type: recordType,
        record_id: operation.record_id,
        body_sha256: digest,
        device_id: context.deviceId,
        captured_at: new Date(operation.captured_at),
        captured_at_as_sent: operation.captured_at,
        device_time: context.deviceTime,
        received_at: context.receivedAt,
        clock_offset_seconds: context.offsetSeconds,
        clock_skew_flagged: context.skewFlagged,
      });
      // Audited like every write: which device sent it, captured when, received when, is evidence too.
      await recordChange(trx, actor, {
        action: 'sync_operation.create',
        entityType: 'sync_operations',
        entityId: received.op_id,
        investigationId: received.investigation_id,
        after: received,
      });
      return record;
    });
    // Updates return the bare record; the REST GET of an item also lists its markings.
    const record = isUpdate ? await readRecord(db, actor, recordType, operation.record_id) : written;
    return { ...base, status: isUpdate ? 'applied' : 'created', record };
  } catch (error) {
    // The same operation sent twice at once (a retry racing the first attempt): one wins, the other is a replay.
    const applied = await repository.findOperation(db, operation.op_id).catch(() => undefined);
    if (applied !== undefined) return replayResult(db, actor, operation, applied, digest);
    if (error instanceof DomainError && error.code === 'version_conflict' && isUpdate) {
      const serverRecord = await readRecord(db, actor, recordType, operation.record_id);
      return {
        ...base,
        status: 'conflict',
        problem: resultProblem(error),
        server_record: serverRecord,
        server_version: serverRecord.version as number,
      };
    }
    const problem = resultProblem(
      selfChecking.has(operation.type) ? await explainFailure(db, actor, operation, error) : error,
    );
    if (problem.code === 'dependency_missing') return { ...base, status: 'blocked', problem };
    if (problem.code === 'internal') {
      context.onInternalError?.(error, operation);
      return { ...base, status: 'blocked', problem };
    }
    return { ...base, status: 'rejected', problem };
  }
}

/**
 * Applies a batch of operations from a device's outbox. Each operation is
 * written in its own transaction together with its idempotency row, parents
 * before children, and the batch goes on past any that fail; the results
 * come back in the order of the request. A replayed op_id writes nothing and
 * returns the stored record.
 *
 * @example
 * const response = await applySyncBatch(db, actor, {
 *   device_id: deviceId, device_time: new Date().toISOString(),
 *   operations: [{ op_id, captured_at, type: 'site.create', investigation_id, record_id: siteId,
 *                  body: { site_type: 'cache', name: 'Cellar' } }],
 * });
 */
export async function applySyncBatch(
  db: Kysely<DB>,
  actor: Actor,
  input: SyncRequest,
  options: SyncOptions = {},
): Promise<SyncResponse> {
  const request = syncRequestSchema.parse(input);
  const receivedAt = options.receivedAt ?? new Date();
  const deviceTime = new Date(request.device_time);
  const offsetSeconds = Math.round(deviceTime.getTime() - receivedAt.getTime()) / 1000;
  const context: BatchContext = {
    deviceId: request.device_id,
    deviceTime,
    receivedAt,
    offsetSeconds,
    skewFlagged: Math.abs(offsetSeconds) > CLOCK_SKEW_LIMIT_SECONDS,
    onInternalError: options.onInternalError,
  };
  const order = request.operations
    .map((operation, index) => ({ operation, index }))
    .sort((a, b) => applyOrder[a.operation.type] - applyOrder[b.operation.type] || a.index - b.index);
  const applied = await repository.findOperations(
    db,
    request.operations.map((operation) => operation.op_id),
  );
  const results: SyncResult[] = new Array<SyncResult>(request.operations.length);
  const seen = new Set<string>();
  const repeated = new Set(
    request.operations.flatMap(({ op_id }) => (seen.has(op_id) ? [op_id] : (seen.add(op_id), []))),
  );
  for (const { operation, index } of order) {
    // An op_id given twice in one batch is looked up again, so the second sees the first's row.
    const previous = repeated.has(operation.op_id)
      ? await repository.findOperation(db, operation.op_id)
      : applied.get(operation.op_id);
    results[index] = await applyOperation(db, actor, operation, context, previous);
  }
  return {
    server_time: receivedAt.toISOString(),
    clock_offset_seconds: offsetSeconds,
    clock_skew_flagged: context.skewFlagged,
    results,
  };
}

/**
 * The operations applied to an investigation through sync: the device's
 * capture time beside the server's receipt time, and whether the device clock
 * was off. Viewers may read it.
 *
 * @example
 * const page = await listSyncOperations(db, actor, investigationId, syncOperationListQuerySchema.parse({ record_id: itemId }));
 */
export async function listSyncOperations(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: SyncOperationListQuery,
): Promise<Page<SyncOperationRecord>> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listOperations(db, investigationId, {
    recordId: query.record_id,
    clockSkewFlagged: query.clock_skew_flagged,
    after: query.after,
    limit: query.limit,
  });
  return toPage(
    rows.map((row) => ({ ...row, id: row.op_id })),
    query.limit,
    ({ id: _id, ...row }) => toOperationRecord(row),
  );
}
