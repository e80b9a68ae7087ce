import type { SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { levelsAtMost, type GrantableRole, type SensitivityLevel } from './schema.js';

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
