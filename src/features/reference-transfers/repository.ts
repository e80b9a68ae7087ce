import { sql } from 'kysely';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';

export async function insertImport(trx: Tx, row: NewRow<'reference_imports'>): Promise<Row<'reference_imports'>> {
  return trx.insertInto('reference_imports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertTransfers(trx: Tx, rows: NewRow<'reference_transfers'>[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('reference_transfers').values(rows).execute();
}

/** The import lookups use: the latest of the dataset. */
export async function findLatestImport(db: Queryable, dataset: string): Promise<Row<'reference_imports'> | undefined> {
  return db
    .selectFrom('reference_imports')
    .selectAll()
    .where('dataset', '=', dataset)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listImports(db: Queryable): Promise<Row<'reference_imports'>[]> {
  return db.selectFrom('reference_imports').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Deals of one import with any of the given designation keys. */
export async function findTransfersByKeys(
  db: Queryable,
  importId: string,
  keys: string[],
  limit: number,
): Promise<Row<'reference_transfers'>[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('reference_transfers')
    .selectAll()
    .where('import_id', '=', importId)
    .where(sql<boolean>`designation_keys && ARRAY[${sql.join(keys)}]::text[]`)
    .orderBy('supplier')
    .orderBy('order_year')
    .orderBy('line_number')
    .limit(limit)
    .execute();
}

/** What an item is looked up by: its model and the texts of its live model markings. */
export async function findItemDesignations(
  db: Queryable,
  itemId: string,
): Promise<{ model: string | null; markings: string[] }> {
  const item = await db.selectFrom('items').select('model').where('id', '=', itemId).executeTakeFirstOrThrow();
  const markings = await db
    .selectFrom('markings')
    .select('text')
    .where('item_id', '=', itemId)
    .where('kind', '=', 'model')
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  return { model: item.model, markings: markings.map((marking) => marking.text) };
}
