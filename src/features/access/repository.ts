import type { Queryable } from '../../db/versioned.js';
import type { Role } from './schema.js';

export async function findActiveRole(
  db: Queryable,
  investigationId: string,
  userId: string,
): Promise<Role | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('investigation_id', '=', investigationId)
    .where('user_id', '=', userId)
    .where('archived_at', 'is', null)
    .executeTakeFirst();
  return row?.role as Role | undefined;
}

export async function listMemberInvestigationIds(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('memberships')
    .select('investigation_id')
    .where('user_id', '=', userId)
    .where('archived_at', 'is', null)
    .execute();
  return rows.map((row) => row.investigation_id);
}
