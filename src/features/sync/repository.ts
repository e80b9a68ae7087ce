import { keysetPage } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function findOperation(db: Queryable, opId: string): Promise<Row<'sync_operations'> | undefined> {
  return db.selectFrom('sync_operations').selectAll().where('op_id', '=', opId).executeTakeFirst();
}

/** The operations among `opIds` applied before, by op_id: one query for a whole batch. */
export async function findOperations(db: Queryable, opIds: string[]): Promise<Map<string, Row<'sync_operations'>>> {
  if (opIds.length === 0) return new Map();
  const rows = await db.selectFrom('sync_operations').selectAll().where('op_id', 'in', opIds).execute();
  return new Map(rows.map((row) => [row.op_id, row]));
}

export async function insertOperation(db: Queryable, row: NewRow<'sync_operations'>): Promise<Row<'sync_operations'>> {
  return db.insertInto('sync_operations').values(row).returningAll().executeTakeFirstOrThrow();
}

export interface OperationFilters {
  recordId?: string | undefined;
  clockSkewFlagged?: boolean | undefined;
  after: string | undefined;
  limit: number;
}

/** Keyset pages by op_id (UUIDv7: the device's save order). */
export async function listOperations(
  db: Queryable,
  investigationId: string,
  filters: OperationFilters,
): Promise<Row<'sync_operations'>[]> {
  let query = keysetPage(db.selectFrom('sync_operations').selectAll().where('investigation_id', '=', investigationId), {
    id: 'sync_operations.op_id',
    after: filters.after,
    limit: filters.limit,
  });
  if (filters.recordId !== undefined) query = query.where('record_id', '=', filters.recordId);
  if (filters.clockSkewFlagged !== undefined) query = query.where('clock_skew_flagged', '=', filters.clockSkewFlagged);
  return query.execute();
}

/** Which parent records exist, whatever their investigation (access is checked by the services). */
export async function existingIds(
  db: Queryable,
  table: 'sites' | 'zones' | 'items',
  ids: string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table as 'items')
    .select('id')
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((row) => row.id));
}
