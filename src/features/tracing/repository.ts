import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

// ---------------------------------------------------------------- trace requests

export async function insertTraceRequest(db: Queryable, row: NewRow<'trace_requests'>): Promise<Row<'trace_requests'>> {
  return db.insertInto('trace_requests').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listTraceRequests(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    status: string | undefined;
    addresseeId: string | undefined;
    /** Only requests still awaiting an answer whose due date is before this day. */
    overdueOn: string | undefined;
    awaitingAnswerStatuses: readonly string[];
  },
): Promise<Row<'trace_requests'>[]> {
  let query = db
    .selectFrom('trace_requests')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
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

/** The ids of the items each trace request covers, sorted. */
export async function findItemIds(db: Queryable, traceRequestIds: string[]): Promise<Map<string, string[]>> {
  const byRequest = new Map<string, string[]>(traceRequestIds.map((id) => [id, []]));
  if (traceRequestIds.length === 0) return byRequest;
  const rows = await db
    .selectFrom('trace_request_items')
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

// ---------------------------------------------------------------- provenance claims

export async function insertProvenanceClaim(
  db: Queryable,
  row: NewRow<'provenance_claims'>,
): Promise<Row<'provenance_claims'>> {
  return db.insertInto('provenance_claims').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listProvenanceClaims(
  db: Queryable,
  options: {
    investigationId: string;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
    itemId: string | undefined;
    lotNormalized: string | undefined;
    eventType: string | undefined;
  },
): Promise<Row<'provenance_claims'>[]> {
  let query = db
    .selectFrom('provenance_claims')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .orderBy('id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('id', '>', options.after);
  if (!options.includeArchived) query = query.where('archived_at', 'is', null);
  if (options.itemId !== undefined) query = query.where('item_id', '=', options.itemId);
  if (options.lotNormalized !== undefined) query = query.where('lot_normalized', '=', options.lotNormalized);
  if (options.eventType !== undefined) query = query.where('event_type', '=', options.eventType);
  return query.execute();
}

/** The live lot markings an item carries, with their comparable form. */
export async function listLotMarkings(
  db: Queryable,
  itemId: string,
): Promise<Pick<Row<'markings'>, 'id' | 'text' | 'normalized'>[]> {
  return db
    .selectFrom('markings')
    .select(['id', 'text', 'normalized'])
    .where('item_id', '=', itemId)
    .where('kind', '=', 'lot')
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Live claims about the item itself or about any of the given (normalized) lots. */
export async function listClaimsForItemOrLots(
  db: Queryable,
  options: { investigationId: string; itemId: string; lotsNormalized: string[] },
): Promise<Row<'provenance_claims'>[]> {
  return db
    .selectFrom('provenance_claims')
    .selectAll()
    .where('investigation_id', '=', options.investigationId)
    .where('archived_at', 'is', null)
    .where((eb) =>
      options.lotsNormalized.length === 0
        ? eb('item_id', '=', options.itemId)
        : eb.or([eb('item_id', '=', options.itemId), eb('lot_normalized', 'in', options.lotsNormalized)]),
    )
    .orderBy('id')
    .execute();
}
