import { sql } from 'kysely';
import type { SortExpression, SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import type { AuditSortKey } from './schema.js';
import { auditEntryVisibleAt } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

// Any constant will do: it names the one lock that serialises appends to the chain.
const AUDIT_CHAIN_LOCK = 7_462_011;

export async function lockChain(trx: Tx): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
}

export async function findHead(db: Queryable): Promise<Pick<Row<'audit_log'>, 'seq' | 'hash'> | undefined> {
  return db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/**
 * The head of one investigation's own audit history: how many entries it has (its last position,
 * 1, 2, 3, … with no gaps) and the chain hash of its last entry. Neither changes when other
 * investigations write, so an export, bag or report that prints it reveals nothing about them,
 * while the hash still names one entry of the chain that `audit verify` checks.
 *
 * @example
 * const head = await findInvestigationHead(db, investigationId); // { position: 12, hash: '9f…' }
 */
export async function findInvestigationHead(
  db: Queryable,
  investigationId: string,
): Promise<{ position: number; hash: string } | undefined> {
  const last = await db
    .selectFrom('audit_log')
    .select(['hash'])
    .select(sql<number>`(count(*) OVER ())::integer`.as('position'))
    .where('investigation_id', '=', investigationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last === undefined ? undefined : { position: last.position, hash: last.hash };
}

export async function insertEntry(trx: Tx, entry: NewRow<'audit_log'>): Promise<void> {
  await trx.insertInto('audit_log').values(entry).execute();
}

export async function listEntriesAfter(db: Queryable, afterSeq: number, limit: number): Promise<Row<'audit_log'>[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

/**
 * One investigation's entries, newest first, each with its position in that investigation's own history
 * (1, 2, 3, … with no gaps), so that the gaps of the global sequence never show other teams' activity.
 */
/** What each sort key of the audit log orders by (the entry's position breaks ties). */
const auditSortExpressions: Record<AuditSortKey, SortExpression[]> = {
  seq: [],
  action: [sql.ref('action')],
  user: [sql`lower(actor_label)`],
  record: [sql.ref('entity_type')],
};

export async function listInvestigationEntries(
  db: Queryable,
  investigationId: string,
  options: {
    beforePosition?: number | undefined;
    /** With `sort` and `order`: the entries following the one at this position in that order. */
    afterPosition?: number | undefined;
    sort?: AuditSortKey | undefined;
    order?: SortOrder | undefined;
    limit: number;
    entityId?: string | undefined;
    userId?: string | undefined;
    action?: string | undefined;
    /** Instants: entries at or after `from` and before `until`. */
    from?: Date | undefined;
    until?: Date | undefined;
    /** The reader's clearance: entries carrying or naming records above it are left out (positions stay). */
    clearance: SensitivityLevel;
  },
): Promise<(Row<'audit_log'> & { position: number })[]> {
  const history = db
    .selectFrom('audit_log')
    .selectAll()
    .select(sql<number>`(row_number() OVER (ORDER BY seq))::integer`.as('position'))
    .where('investigation_id', '=', investigationId);
  const keys = [...auditSortExpressions[options.sort ?? 'seq'], sql.ref('position')];
  const order = options.order ?? 'desc';
  let query = db.selectFrom(history.as('numbered')).selectAll().limit(options.limit);
  for (const key of keys) query = query.orderBy(key, order);
  if (options.afterPosition !== undefined) {
    // The cursor entry's own values are read in the database (unfiltered, so it anchors the page even if a
    // filter would leave it out); unqualified names in the subquery are the cursor's columns.
    const comparison = order === 'asc' ? sql.raw('>') : sql.raw('<');
    query = query.where(
      sql<boolean>`(${sql.join(keys)}) ${comparison} (select ${sql.join(keys)} from ${history.as('cursor')} where position = ${options.afterPosition})`,
    );
  }
  query = query.where(auditEntryVisibleAt(options.clearance));
  if (options.beforePosition !== undefined) query = query.where('position', '<', options.beforePosition);
  if (options.entityId !== undefined) query = query.where('entity_id', '=', options.entityId);
  if (options.userId !== undefined) query = query.where('actor_id', '=', options.userId);
  const action = options.action;
  if (action !== undefined) {
    // `item` names every item action (item.create, item.update, …); `item.update` only that one.
    query = query.where((eb) => eb.or([eb('action', '=', action), eb('action', 'like', `${action}.%`)]));
  }
  if (options.from !== undefined) query = query.where('at', '>=', options.from);
  if (options.until !== undefined) query = query.where('at', '<', options.until);
  return query.execute();
}

/** The most recent recorded state of each of the given entities. */
export async function findLatestStates(
  db: Queryable,
  entityType: string,
  entityIds: string[],
): Promise<Map<string, unknown>> {
  if (entityIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'after'])
    .distinctOn('entity_id')
    .where('entity_type', '=', entityType)
    .where('entity_id', 'in', entityIds)
    .orderBy('entity_id')
    .orderBy('seq', 'desc')
    .execute();
  return new Map(rows.map((row) => [row.entity_id, row.after]));
}

/** A page of a table's rows in the order of its key column (`id`, or e.g. `op_id` for sync_operations). */
export async function listRowsAfter(
  db: Queryable,
  table: string,
  afterId: string | undefined,
  limit: number,
  keyColumn = 'id',
): Promise<Record<string, unknown>[]> {
  const key = sql.ref(keyColumn);
  const afterClause = afterId === undefined ? sql`` : sql`WHERE ${key} > ${afterId}`;
  const result = await sql<
    Record<string, unknown>
  >`SELECT * FROM ${sql.table(table)} ${afterClause} ORDER BY ${key} LIMIT ${limit}`.execute(db);
  return result.rows;
}
