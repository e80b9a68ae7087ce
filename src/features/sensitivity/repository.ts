import type { SelectQueryBuilder } from 'kysely';
import { sql, type RawBuilder } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { levelsAtMost, sensitivityLevels, type GrantableRole, type SensitivityLevel } from './schema.js';

/** The tables whose records carry a sensitivity (migrations/0025_sensitivity.sql). */
export const sensitivityTables = ['sites', 'items', 'markings', 'provenance_claims', 'media'] as const;
export type SensitivityTable = (typeof sensitivityTables)[number];

/**
 * Narrows a query over a table with a sensitivity to the records whose level is at most `level` (the reader's
 * clearance, or an export profile's ceiling).
 *
 * @example
 * const clearance = await clearanceFor(db, actor, investigationId);
 * const rows = await whereSensitivityAtMost(db.selectFrom('items').selectAll(), 'items', clearance).execute();
 */
export function whereSensitivityAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: SensitivityTable,
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  if (level === 'restricted') return query;
  const levels = levelsAtMost(level);
  return query.where(sql<boolean>`${sql.ref(`${table}.sensitivity`)} IN (${sql.join(levels)})`);
}

/** Whether the role (below owner) was granted sight of the investigation's restricted records. */
export async function hasRestrictedGrant(db: Queryable, investigationId: string, role: string): Promise<boolean> {
  const row = await db
    .selectFrom('restricted_grants')
    .select('role')
    .where('investigation_id', '=', investigationId)
    .where('role', '=', role)
    .executeTakeFirst();
  return row !== undefined;
}

export interface GrantRow {
  investigation_id: string;
  role: string;
  granted_by: string;
  granted_at: Date;
}

export async function listGrants(db: Queryable, investigationId: string): Promise<GrantRow[]> {
  return await db
    .selectFrom('restricted_grants')
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .orderBy('role')
    .execute();
}

export async function insertGrant(
  db: Queryable,
  investigationId: string,
  role: GrantableRole,
  grantedBy: string,
): Promise<GrantRow | undefined> {
  return await db
    .insertInto('restricted_grants')
    .values({ investigation_id: investigationId, role, granted_by: grantedBy })
    .onConflict((oc) => oc.columns(['investigation_id', 'role']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function deleteGrant(
  db: Queryable,
  investigationId: string,
  role: GrantableRole,
): Promise<GrantRow | undefined> {
  return await db
    .deleteFrom('restricted_grants')
    .where('investigation_id', '=', investigationId)
    .where('role', '=', role)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Narrows a query to rows whose `column` is null or names a row of `target` at most `level` (the shared shape of
 * {@link whereItemAtMost} and {@link whereSiteAtMost}).
 */
function whereReferenceAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  target: 'items' | 'sites',
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  if (level === 'restricted') return query;
  const reference = sql.ref(column);
  return query.where(
    sql<boolean>`(${reference} IS NULL OR ${reference} IN (SELECT visible_target.id FROM ${sql.table(target)} visible_target WHERE visible_target.sensitivity IN (${sql.join(levelsAtMost(level))})))`,
  );
}

/**
 * Narrows a query over markings or provenance claims to those whose item (when they have one) is at most `level`:
 * a record about an item the reader may not see would name that item.
 *
 * @example
 * query = whereItemAtMost(whereSensitivityAtMost(query, 'markings', clearance), 'markings', clearance);
 */
export function whereItemAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: 'markings' | 'provenance_claims' | 'media_links' | 'custody_events' | 'trace_request_items' | 'incident_items',
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  return whereReferenceAtMost(query, `${table}.item_id`, 'items', level);
}

/**
 * Narrows a query over rows that point at a site (`site_id`, when they have one) to those whose site is at most
 * `level`: a link to a site the reader may not see would reveal it.
 *
 * @example
 * query = whereSiteAtMost(db.selectFrom('incident_sites').select('site_id'), 'incident_sites', clearance);
 */
export function whereSiteAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: 'incident_sites' | 'media_links',
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  return whereReferenceAtMost(query, `${table}.site_id`, 'sites', level);
}

/**
 * Narrows a query over media links to those whose target (site, item or marking, and a marking's item) is at
 * most `level`: a photo the reader may see must not name a record the reader may not.
 *
 * @example
 * const links = await whereLinkTargetAtMost(db.selectFrom('media_links').selectAll(), clearance).execute();
 */
export function whereLinkTargetAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  if (level === 'restricted') return query;
  const levels = levelsAtMost(level);
  const markingId = sql.ref('media_links.marking_id');
  return whereItemAtMost(whereSiteAtMost(query, 'media_links', level), 'media_links', level).where(
    sql<boolean>`(${markingId} IS NULL OR ${markingId} IN (SELECT hidden_marking.id FROM markings hidden_marking
      JOIN items hidden_marking_item ON hidden_marking_item.id = hidden_marking.item_id
      WHERE hidden_marking.sensitivity IN (${sql.join(levels)}) AND hidden_marking_item.sensitivity IN (${sql.join(levels)})))`,
  );
}

/**
 * Which of `ids` (records of `table`) are above `level`, so that a record the reader may see can leave out a
 * reference to one the reader may not (e.g. an item's `site_id`).
 *
 * @example
 * const hidden = await idsAbove(db, 'sites', rows.map((row) => row.site_id), clearance);
 */
export async function idsAbove(
  db: Queryable,
  table: SensitivityTable,
  ids: readonly string[],
  level: SensitivityLevel,
): Promise<Set<string>> {
  if (level === 'restricted' || ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where(sql<boolean>`sensitivity NOT IN (${sql.join(levelsAtMost(level))})`)
    .execute();
  return new Set(rows.map((row) => row.id));
}

/** Both: the record's own level and its item's. */
export function whereRecordAndItemAtMost<TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: 'markings' | 'provenance_claims',
  level: SensitivityLevel,
): SelectQueryBuilder<DB, TB, O> {
  return whereItemAtMost(whereSensitivityAtMost(query, table, level), table, level);
}

/**
 * For searches across investigations: a condition on the rows of `alias` (markings or claims, with `item_id`)
 * that leaves out restricted records, and records of restricted items, except in the investigations listed in
 * `restrictedIn` (where the reader may see restricted records); undefined `restrictedIn` means every
 * investigation (administrators).
 *
 * @example
 * sql`SELECT … FROM markings m WHERE ${restrictedCondition('m', restrictedIn)}`
 */
export function restrictedCondition(alias: string, restrictedIn: readonly string[] | undefined): RawBuilder<boolean> {
  if (restrictedIn === undefined) return sql<boolean>`true`;
  const record = sql.ref(alias);
  // Results name the item and its site, so a record of a restricted item, or of an item at a restricted site, is
  // left out as well. Those items are read once per statement (a hashed set, from the partial indexes of
  // migration 0039: nothing to read when nothing is restricted), not looked up again for every row a search scans.
  const restrictedItems = sql`SELECT restricted_item.id FROM items restricted_item
      WHERE restricted_item.sensitivity = 'restricted'
    UNION ALL
    SELECT site_item.id FROM sites restricted_site JOIN items site_item ON site_item.site_id = restricted_site.id
      WHERE restricted_site.sensitivity = 'restricted'`;
  const hidden = sql`(${record}.sensitivity = 'restricted' OR coalesce(${record}.item_id IN (${restrictedItems}), false))`;
  if (restrictedIn.length === 0) return sql<boolean>`NOT ${hidden}`;
  // The cheap test first: PostgreSQL evaluates the arms of an OR in the order written.
  return sql<boolean>`(${record}.investigation_id IN (${sql.join(restrictedIn.map((id) => sql`${id}::uuid`))}) OR NOT ${hidden})`;
}

/** The investigations among `investigationIds` in which a member with the user's role sees restricted records. */
export async function listRestrictedClearedInvestigations(
  db: Queryable,
  userId: string,
  investigationIds: readonly string[],
): Promise<string[]> {
  if (investigationIds.length === 0) return [];
  const rows = await db
    .selectFrom('memberships')
    .select('memberships.investigation_id')
    .where('memberships.user_id', '=', userId)
    .where('memberships.archived_at', 'is', null)
    .where('memberships.investigation_id', 'in', [...investigationIds])
    .where((eb) =>
      eb.or([
        eb('memberships.role', '=', 'owner'),
        eb.exists(
          eb
            .selectFrom('restricted_grants')
            .select('restricted_grants.role')
            .whereRef('restricted_grants.investigation_id', '=', 'memberships.investigation_id')
            .whereRef('restricted_grants.role', '=', 'memberships.role'),
        ),
      ]),
    )
    .execute();
  return rows.map((row) => row.investigation_id);
}

/**
 * The highest level a member with `role` sees in the investigation (see clearanceFor in service.ts, which
 * features use; this form is for the audit log, which the sensitivity service itself writes to).
 */
export async function clearanceOfRole(db: Queryable, role: string, investigationId: string): Promise<SensitivityLevel> {
  if (role === 'owner') return 'restricted';
  return (await hasRestrictedGrant(db, investigationId, role)) ? 'restricted' : 'internal';
}

const recordTables = { sites: 'site_id', items: 'item_id', markings: 'marking_id', media: 'media_id' } as const;

/**
 * A condition on audit_log rows (columns entity_type, entity_id, before, after) that holds for the entries a
 * reader with `level` may see: not those whose values are of a record above the level, nor those about such a
 * record or naming one (a marking of a restricted item, a link to a restricted photo…).
 *
 * @example
 * query = query.where(auditEntryVisibleAt('internal'));
 */
export function auditEntryVisibleAt(level: SensitivityLevel): RawBuilder<boolean> {
  const hidden = sensitivityLevels.slice(sensitivityLevels.indexOf(level) + 1);
  if (hidden.length === 0) return sql<boolean>`true`;
  const levels = sql.join(hidden);
  const conditions = [
    sql`(after ->> 'sensitivity') IN (${levels})`,
    sql`(before ->> 'sensitivity') IN (${levels})`,
    ...[...sensitivityTables].map(
      (table) =>
        sql`(entity_type = ${table} AND entity_id IN (SELECT hidden.id FROM ${sql.table(table)} hidden WHERE hidden.sensitivity IN (${levels})))`,
    ),
    ...Object.entries(recordTables).flatMap(([table, key]) =>
      ['after', 'before'].map(
        (side) =>
          sql`(${sql.ref(side)} ->> ${key}) IN (SELECT hidden.id::text FROM ${sql.table(table)} hidden WHERE hidden.sensitivity IN (${levels}))`,
      ),
    ),
  ];
  return sql<boolean>`NOT coalesce(${sql.join(conditions, sql` OR `)}, false)`;
}
