import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';

export async function insertCustodyEvent(db: Queryable, row: NewRow<'custody_events'>): Promise<Row<'custody_events'>> {
  return db.insertInto('custody_events').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The chain of custody of one item, in the order the hand-overs happened. */
export async function listCustodyEvents(db: Queryable, itemId: string): Promise<Row<'custody_events'>[]> {
  return db
    .selectFrom('custody_events')
    .selectAll()
    .where('item_id', '=', itemId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}
