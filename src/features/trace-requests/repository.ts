import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import { whereItemAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import { traceRequestStatuses, type TraceRequestSortKey } from './schema.js';

// ---------------------------------------------------------------- trace requests

export async function insertTraceRequest(db: Queryable, row: NewRow<'trace_requests'>): Promise<Row<'trace_requests'>> {
  return db.insertInto('trace_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * What each sort key of the trace request list orders by (the id breaks ties). `overdue`: requests past their due
 * date and still awaiting an answer first, then by due date; `age`: the oldest first (sent, or recorded while a
 * draft); `status`: in workflow order.
 */
function traceRequestSortExpressions(
  key: TraceRequestSortKey,
  today: string,
  awaitingAnswerStatuses: readonly string[],
): SortExpression[] {
  const awaiting = sql.join(awaitingAnswerStatuses.map((status) => sql.lit(status)));
  switch (key) {
    case 'created':
      return [];
    case 'overdue':
      return [
        sql`not (trace_requests.status in (${awaiting}) and trace_requests.due_on is not null and trace_requests.due_on < ${today})`,
        ...nullsLast('trace_requests.due_on', sql`date '9999-12-31'`),
      ];
    case 'subject':
      return [sql`lower(trace_requests.subject)`];
    case 'addressee':
      return [sql`(select lower(actors.name) from actors where actors.id = trace_requests.addressee_id)`];
    case 'status':
      return [
        sql`array_position(array[${sql.join(traceRequestStatuses.map((status) => sql.lit(status)))}]::text[], trace_requests.status)`,
      ];
    case 'age':
      return [sql`coalesce(trace_requests.sent_on, cast(trace_requests.created_at at time zone 'UTC' as date))`];
    case 'due':
      return nullsLast('trace_requests.due_on', sql`date '9999-12-31'`);
  }
}

export async function listTraceRequests(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    sort: TraceRequestSortKey;
    order: SortOrder;
    includeArchived: boolean;
    status: string | undefined;
    addresseeId: string | undefined;
    /** Only requests still awaiting an answer whose due date is before this day. */
    overdueOn: string | undefined;
    /** Today's date (UTC), for the `overdue` sort. */
    today: string;
    awaitingAnswerStatuses: readonly string[];
  },
): Promise<Row<'trace_requests'>[]> {
  let query = keysetPage(db.selectFrom('trace_requests').selectAll(), {
    id: 'trace_requests.id',
    keys: traceRequestSortExpressions(options.sort, options.today, options.awaitingAnswerStatuses),
    order: options.order,
    after: options.after,
    limit: options.limit,
  }).where('investigation_id', '=', options.investigationId);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  if (options.addresseeId !== undefined) query = query.where('addressee_id', '=', options.addresseeId);
  if (options.overdueOn !== undefined) {
    query = query.where('status', 'in', [...options.awaitingAnswerStatuses]).where('due_on', '<', options.overdueOn);
  }
  return query.execute();
}

export async function findActorNames(db: Queryable, actorIds: string[]): Promise<Map<string, string>> {
  if (actorIds.length === 0) return new Map();
  const rows = await db.selectFrom('actors').select(['id', 'name']).where('id', 'in', actorIds).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** The ids of the items each trace request covers that the reader may see (`clearance`), sorted. */
export async function findItemIds(
  db: Queryable,
  traceRequestIds: string[],
  clearance: SensitivityLevel,
): Promise<Map<string, string[]>> {
  const byRequest = new Map<string, string[]>(traceRequestIds.map((id) => [id, []]));
  if (traceRequestIds.length === 0) return byRequest;
  const rows = await whereItemAtMost(db.selectFrom('trace_request_items'), 'trace_request_items', clearance)
    .select(['trace_request_id', 'item_id'])
    .where('trace_request_id', 'in', traceRequestIds)
    .orderBy('trace_request_id')
    .orderBy('item_id')
    .execute();
  for (const row of rows) byRequest.get(row.trace_request_id)?.push(row.item_id);
  return byRequest;
}

export async function findTraceRequestItem(
  db: Queryable,
  traceRequestId: string,
  itemId: string,
): Promise<Row<'trace_request_items'> | undefined> {
  return db
    .selectFrom('trace_request_items')
    .selectAll()
    .where('trace_request_id', '=', traceRequestId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

export async function insertTraceRequestItem(
  db: Queryable,
  row: NewRow<'trace_request_items'>,
): Promise<Row<'trace_request_items'>> {
  return db.insertInto('trace_request_items').values(row).returningAll().executeTakeFirstOrThrow();
}

// ---------------------------------------------------------------- reminders, documents, history

/** Live requests awaiting an answer whose due date is before `asOf`, most overdue first. */
export async function listOverdueTraceRequests(
  db: Queryable,
  options: { investigationId: string; asOf: string; awaitingAnswerStatuses: readonly string[] },
): Promise<Row<'trace_requests'>[]> {
  return db
    .selectFrom('trace_requests')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .where('archived_at', 'is', null)
    .where('status', 'in', [...options.awaitingAnswerStatuses])
    .where('due_on', '<', options.asOf)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
}

export type DocumentRow = Row<'trace_request_documents'> &
  Pick<Row<'media'>, 'original_filename' | 'media_type' | 'sha256'>;

export async function insertDocument(
  db: Queryable,
  row: NewRow<'trace_request_documents'>,
): Promise<Row<'trace_request_documents'>> {
  return db.insertInto('trace_request_documents').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The documents of a request with what their media records say about the file, oldest first. */
export async function listDocuments(
  db: Queryable,
  options: { traceRequestId: string; includeArchived: boolean; ids?: string[] },
): Promise<DocumentRow[]> {
  let query = db
    .selectFrom('trace_request_documents as document')
    .innerJoin('media', 'media.id', 'document.media_id')
    .selectAll('document')
    .select(['media.original_filename', 'media.media_type', 'media.sha256'])
    .where('document.trace_request_id', '=', options.traceRequestId)
    .orderBy('document.id');
  if (!options.includeArchived) query = query.where('document.archived_at', 'is', null);
  if (options.ids !== undefined) query = query.where('document.id', 'in', options.ids);
  return query.execute();
}

export async function findActiveDocument(
  db: Queryable,
  traceRequestId: string,
  mediaId: string,
): Promise<Row<'trace_request_documents'> | undefined> {
  return db
    .selectFrom('trace_request_documents')
    .selectAll()
    .where('trace_request_id', '=', traceRequestId)
    .where('media_id', '=', mediaId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
}

export async function lockDocument(trx: Tx, id: string): Promise<Row<'trace_request_documents'> | undefined> {
  return trx.selectFrom('trace_request_documents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function archiveDocument(
  trx: Tx,
  current: Row<'trace_request_documents'>,
  reason: string,
): Promise<Row<'trace_request_documents'> | undefined> {
  const now = new Date();
  return trx
    .updateTable('trace_request_documents')
    .set({ archived_at: now, archive_reason: reason, updated_at: now, version: current.version + 1 })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
}

export async function listDocumentIds(db: Queryable, traceRequestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('trace_request_documents')
    .select('id')
    .where('trace_request_id', '=', traceRequestId)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * The audit entries about a request: the request itself, its item links
 * (audited under the request's id) and its documents, oldest first.
 */
export async function listHistory(
  db: Queryable,
  options: { investigationId: string; traceRequestId: string; documentIds: string[] },
): Promise<Row<'audit_log'>[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('entity_type', 'in', ['trace_requests', 'trace_request_items']),
          eb('entity_id', '=', options.traceRequestId),
        ]),
        ...(options.documentIds.length === 0
          ? []
          : [eb.and([eb('entity_type', '=', 'trace_request_documents'), eb('entity_id', 'in', options.documentIds)])]),
      ]),
    )
    .orderBy('seq')
    .execute();
}

/** Removes an item from those a trace request covers; false when it was not covered. */
export async function deleteTraceRequestItem(db: Queryable, traceRequestId: string, itemId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('trace_request_items')
    .where('trace_request_id', '=', traceRequestId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
