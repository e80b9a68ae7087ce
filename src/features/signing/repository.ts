import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertTrustedKey(
  db: Queryable,
  row: NewRow<'trusted_signing_keys'>,
): Promise<Row<'trusted_signing_keys'>> {
  return db.insertInto('trusted_signing_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findTrustedKey(
  db: Queryable,
  fingerprint: string,
): Promise<Row<'trusted_signing_keys'> | undefined> {
  return db.selectFrom('trusted_signing_keys').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
}

export async function listTrustedKeys(db: Queryable, includeArchived: boolean): Promise<Row<'trusted_signing_keys'>[]> {
  let query = db.selectFrom('trusted_signing_keys').selectAll().orderBy('created_at').orderBy('id');
  if (!includeArchived) query = query.where('archived_at', 'is', null);
  return query.execute();
}
