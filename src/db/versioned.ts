import type { Kysely, Transaction } from 'kysely';
import { DomainError, NotVisibleError } from '../errors.js';
import type { DB, Row, RowUpdate } from './tables.js';

export type Tx = Transaction<DB>;
export type Queryable = Kysely<DB> | Tx;

/** Tables whose rows carry `version` and are archived, never deleted. */
export type VersionedTable =
  | 'investigations'
  | 'memberships'
  | 'sources'
  | 'sites'
  | 'zones'
  | 'items'
  | 'markings'
  | 'media'
  | 'media_links'
  | 'incidents'
  | 'actors'
  | 'trace_requests'
  | 'provenance_claims';

const singular: Record<VersionedTable, string> = {
  investigations: 'Investigation',
  memberships: 'Membership',
  sources: 'Source',
  sites: 'Site',
  zones: 'Zone',
  items: 'Item',
  markings: 'Marking',
  media: 'Media file',
  media_links: 'Media link',
  incidents: 'Incident',
  actors: 'Actor',
  trace_requests: 'Trace request',
  provenance_claims: 'Provenance claim',
};

// Kysely cannot type a query over a table chosen at run time; the union of
// versioned tables shares the columns used here, so one table stands for all.
type AnyVersioned = 'items';

/**
 * Reads one row and locks it until the transaction ends, so the audit
 * snapshot taken as "before" is the state the update replaces.
 */
export async function findForUpdate<T extends VersionedTable>(trx: Tx, table: T, id: string): Promise<Row<T>> {
  const row = await trx
    .selectFrom(table as AnyVersioned)
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw new NotVisibleError(`${singular[table]} ${id} does not exist or you cannot see it.`);
  return row as unknown as Row<T>;
}

/** Reads one row, or fails with `not_found`. */
export async function findById<T extends VersionedTable>(db: Queryable, table: T, id: string): Promise<Row<T>> {
  const row = await db
    .selectFrom(table as AnyVersioned)
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) throw new NotVisibleError(`${singular[table]} ${id} does not exist or you cannot see it.`);
  return row as unknown as Row<T>;
}

/**
 * Applies `patch` only if the row is still at `expectedVersion`, bumping the
 * version; otherwise `version_conflict` tells the client to reload.
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Tx,
  table: T,
  current: { id: string; version: number; archived_at: Date | null },
  expectedVersion: number,
  patch: RowUpdate<T>,
): Promise<Row<T>> {
  if (current.archived_at !== null) {
    throw new DomainError('archived', `${singular[table]} ${current.id} is archived and can no longer be changed.`);
  }
  if (current.version !== expectedVersion) {
    throw new DomainError(
      'version_conflict',
      `${singular[table]} ${current.id} is at version ${current.version}, not ${expectedVersion}: reload it and apply your change again.`,
    );
  }
  const row = await trx
    .updateTable(table as AnyVersioned)
    .set({ ...(patch as RowUpdate<AnyVersioned>), version: expectedVersion + 1, updated_at: new Date() })
    .where('id', '=', current.id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) {
    throw new DomainError('version_conflict', `${singular[table]} ${current.id} changed meanwhile: reload it.`);
  }
  return row as unknown as Row<T>;
}

/** Archives (tombstones) a row: it stays, with the time and the reason. */
export async function archiveVersioned<T extends VersionedTable>(
  trx: Tx,
  table: T,
  current: { id: string; version: number; archived_at: Date | null },
  expectedVersion: number,
  reason: string,
): Promise<Row<T>> {
  return updateVersioned(trx, table, current, expectedVersion, {
    archived_at: new Date(),
    archive_reason: reason,
  } as unknown as RowUpdate<T>);
}

/**
 * Runs `work` in the caller's transaction when `db` already is one, else in a
 * new transaction. A service written with this can be called on its own (its
 * own transaction) or inside a larger unit of work (the offline sync writes a
 * record and its idempotency row together).
 *
 * @example
 * return inTransaction(db, async (trx) => insertRowAndAudit(trx));
 */
export async function inTransaction<T>(db: Queryable, work: (trx: Tx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Tx) : db.transaction().execute(work);
}
