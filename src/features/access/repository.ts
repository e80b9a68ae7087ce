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

/**
 * The investigation (whether it is archived) and the user's active role in it, in one read; undefined when no
 * investigation has that id.
 */
export async function findInvestigationAccess(
  db: Queryable,
  investigationId: string,
  userId: string,
): Promise<
  { archived: boolean; role: Role | undefined; secondFactorRequired: boolean; secondFactorEnabled: boolean } | undefined
> {
  const row = await db
    .selectFrom('investigations')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.investigation_id', '=', 'investigations.id')
        .on('memberships.user_id', '=', userId)
        .on('memberships.archived_at', 'is', null),
    )
    .leftJoin('investigation_second_factor', 'investigation_second_factor.investigation_id', 'investigations.id')
    .leftJoin('second_factors', (join) =>
      join.on('second_factors.user_id', '=', userId).on('second_factors.enabled_at', 'is not', null),
    )
    .select([
      'investigations.archived_at',
      'memberships.role',
      'investigation_second_factor.required',
      'second_factors.enabled_at',
    ])
    .where('investigations.id', '=', investigationId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    archived: row.archived_at !== null,
    role: (row.role ?? undefined) as Role | undefined,
    secondFactorRequired: row.required === true,
    secondFactorEnabled: row.enabled_at !== null,
  };
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

/**
 * The investigations that require a second factor the user has not enabled (none when the user has one): they
 * are left out of searches across investigations, as their own routes refuse the user.
 */
export async function listInvestigationsLockedBySecondFactor(db: Queryable, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('investigation_second_factor')
    .select('investigation_id')
    .where('required', '=', true)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('second_factors')
            .select('user_id')
            .where('user_id', '=', userId)
            .where('enabled_at', 'is not', null),
        ),
      ),
    )
    .execute();
  return rows.map((row) => row.investigation_id);
}

export async function listInvestigationIds(db: Queryable): Promise<string[]> {
  return (await db.selectFrom('investigations').select('id').execute()).map((row) => row.id);
}
