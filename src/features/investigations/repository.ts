import { sql } from 'kysely';
import { keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import type { MemberSortKey } from './schema.js';

export async function insertInvestigation(
  db: Queryable,
  row: NewRow<'investigations'>,
): Promise<Row<'investigations'>> {
  return db.insertInto('investigations').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Investigations visible to a user (all of them for `userId === undefined`), with the user's role. */
export async function listInvestigations(
  db: Queryable,
  options: {
    userId: string | undefined;
    /** Only this investigation (an API token limited to it). */
    onlyId?: string | undefined;
    after: string | undefined;
    limit: number;
    includeArchived: boolean;
  },
): Promise<(Row<'investigations'> & { role: string | null })[]> {
  let query = db
    .selectFrom('investigations')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.investigation_id', '=', 'investigations.id')
        .on('memberships.user_id', '=', options.userId ?? '00000000-0000-0000-0000-000000000000')
        .on('memberships.archived_at', 'is', null),
    )
    .selectAll('investigations')
    .select('memberships.role');
  query = keysetPage(query, { id: 'investigations.id', after: options.after, limit: options.limit });
  if (options.userId !== undefined) query = query.where('memberships.id', 'is not', null);
  if (options.onlyId !== undefined) query = query.where('investigations.id', '=', options.onlyId);
  if (!options.includeArchived) query = query.where('investigations.archived_at', 'is', null);
  return query.execute();
}

export async function insertMembership(db: Queryable, row: NewRow<'memberships'>): Promise<Row<'memberships'>> {
  return db.insertInto('memberships').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listMemberships(
  db: Queryable,
  investigationId: string,
): Promise<(Row<'memberships'> & { username: string })[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('memberships')
    .select('users.username')
    .where('memberships.investigation_id', '=', investigationId)
    .where('memberships.archived_at', 'is', null)
    .orderBy('memberships.id')
    .execute();
}

/** What each sort key of the member list orders by (the id breaks ties); roles from the most rights down. */
const memberSortExpressions: Record<MemberSortKey, SortExpression[]> = {
  username: [sql`lower(users.username)`],
  role: [sql`(case memberships.role when 'owner' then 0 when 'editor' then 1 when 'investigator' then 2 else 3 end)`],
  created: [],
};

/** One page of an investigation's members (`limit + 1` rows, for `toPage`) with their user names, sorted, filtered by name. */
export async function listMembershipsPage(
  db: Queryable,
  investigationId: string,
  options: {
    after: string | undefined;
    limit: number;
    sort: MemberSortKey;
    order: SortOrder;
    includeArchived: boolean;
    text: string | undefined;
  },
): Promise<(Row<'memberships'> & { username: string })[]> {
  let query = keysetPage(
    db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .selectAll('memberships')
      .select('users.username'),
    {
      id: 'memberships.id',
      keys: memberSortExpressions[options.sort],
      order: options.order,
      after: options.after,
      limit: options.limit,
    },
  ).where('memberships.investigation_id', '=', investigationId);
  if (!options.includeArchived) query = query.where('memberships.archived_at', 'is', null);
  if (options.text !== undefined) {
    // `%`, `_` and `\` typed by a user are literal characters, not wildcards.
    const pattern = `%${options.text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    query = query.where('users.username', 'ilike', pattern);
  }
  return query.execute();
}

export async function countOverview(db: Queryable, investigationId: string) {
  const totals = await sql<{
    sites: number;
    items: number;
    item_units: number;
    markings: number;
    hazardous_items: number;
  }>`
    SELECT
      (SELECT count(*)::int FROM sites WHERE investigation_id = ${investigationId} AND archived_at IS NULL) AS sites,
      (SELECT count(*)::int FROM items WHERE investigation_id = ${investigationId} AND archived_at IS NULL) AS items,
      (SELECT coalesce(sum(quantity), 0)::int FROM items WHERE investigation_id = ${investigationId} AND archived_at IS NULL) AS item_units,
      (SELECT count(*)::int FROM markings WHERE investigation_id = ${investigationId} AND archived_at IS NULL) AS markings,
      (SELECT count(*)::int FROM items WHERE investigation_id = ${investigationId} AND archived_at IS NULL
         AND fuze_fitted IN ('yes', 'unknown') AND disposal_status NOT IN ('rendered_safe', 'destroyed')) AS hazardous_items
  `.execute(db);
  const liveItems = db
    .selectFrom('items')
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null);
  const byCategory = await liveItems
    .select(['category', sql<number>`count(*)::int`.as('items'), sql<number>`sum(quantity)::int`.as('units')])
    .groupBy('category')
    .orderBy('items', 'desc')
    .orderBy('category')
    .execute();
  const byCondition = await liveItems
    .select(['condition', sql<number>`count(*)::int`.as('items')])
    .groupBy('condition')
    .orderBy('items', 'desc')
    .execute();
  const byProductionType = await liveItems
    .select(['production_type', sql<number>`count(*)::int`.as('items')])
    .groupBy('production_type')
    .orderBy('items', 'desc')
    .execute();
  return { totals: totals.rows[0]!, byCategory, byCondition, byProductionType };
}

/** The active owners' memberships of an investigation, locked until the transaction ends. */
export async function lockActiveOwners(trx: Tx, investigationId: string): Promise<{ id: string }[]> {
  return trx
    .selectFrom('memberships')
    .select('id')
    .where('investigation_id', '=', investigationId)
    .where('role', '=', 'owner')
    .where('archived_at', 'is', null)
    .forUpdate()
    .execute();
}
