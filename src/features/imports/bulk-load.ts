// Loading a large import with its tables' secondary indexes and foreign keys set aside (service.ts decides when,
// through planBulkLoad) and restoring them at the end, naming the file's lines when a foreign key no longer holds.
import { sql } from 'kysely';
import { DomainError } from '../../errors.js';
import type { Tx } from '../../db/versioned.js';
import type { Validated } from './read.js';
import * as repository from './repository.js';

type ImportedTable = repository.ImportedTable;

/**
 * An import at least this large (in new rows of a table), and at least as
 * large as what the table already holds, loads that table without its
 * secondary indexes and foreign keys and builds them again at the end (see
 * {@link planBulkLoad}). Below it, or into a larger table, rows go into the
 * indexes one by one: rebuilding would cost more than it saves, and the
 * table would stay locked for longer.
 */
export const BULK_MINIMUM_ROWS = 10_000;

/**
 * Which tables to load with their secondary indexes and foreign keys set
 * aside, and which foreign keys: each table receiving at least
 * `minimumRows` new rows and at least as many as it already holds. Sorted
 * index builds and one join per foreign key cost a fraction of an index
 * entry and a lookup per row (docs/benchmarks.md), but DROP INDEX and DROP
 * CONSTRAINT lock the table against every reader until the import commits.
 * On PostgreSQL only the foreign keys between the tables so locked are set
 * aside (dropping a key to `users` would lock `users`, and with it every
 * request, for the whole import); on the embedded database, whose one
 * connection the import holds anyway, all of them.
 */
export async function planBulkLoad(
  trx: Tx,
  newRows: Record<ImportedTable, number>,
  minimumRows: number,
): Promise<{ tables: ImportedTable[]; foreignKeysTo: ImportedTable[] | 'all' }> {
  const tables: ImportedTable[] = [];
  for (const table of ['sites', 'items', 'markings'] as const) {
    if (newRows[table] < minimumRows) continue;
    if ((await repository.countRowsUpTo(trx, table, newRows[table] + 1)) <= newRows[table]) tables.push(table);
  }
  return { tables, foreignKeysTo: (await repository.isEmbeddedDatabase(trx)) ? 'all' : tables };
}

/**
 * Builds the indexes set aside and adds the foreign keys again, each checked
 * by one join; a key the import's rows break refuses the import (the
 * transaction rolls back) naming the lines of the rows that break it.
 */
export async function restoreAfterLoad(
  trx: Tx,
  stamp: repository.Stamp,
  setAside: repository.SetAside,
  known: {
    siteIds: Map<string, string>;
    itemIds: Map<string, string>;
    itemLines: Map<string, number> | undefined;
    validated: Validated;
  },
): Promise<void> {
  await repository.restoreSetAside(trx, { indexes: setAside.indexes, foreignKeys: [] });
  for (const key of setAside.foreignKeys) {
    await sql`SAVEPOINT import_foreign_key`.execute(trx);
    try {
      await repository.restoreSetAside(trx, { indexes: [], foreignKeys: [key] });
      await sql`RELEASE SAVEPOINT import_foreign_key`.execute(trx);
    } catch (error) {
      if ((error as { code?: unknown }).code !== '23503') throw error;
      await sql`ROLLBACK TO SAVEPOINT import_foreign_key`.execute(trx);
      const dangling = await repository.findDanglingReferences(trx, stamp, key);
      throw new DomainError(
        'validation_failed',
        `Rows of the file refer to ${key.referenced} that no longer exist (changed since the file was validated); nothing was imported.`,
        await danglingLines(trx, key.table as ImportedTable, dangling, known).then((lines) =>
          lines.map((line) => ({
            field: `line ${line}`,
            message: `refers to a row of ${key.referenced} that does not exist (${key.name})`,
          })),
        ),
      );
    }
  }
}

/** The lines of the file that made these rows (a marking: the first line of its item). */
async function danglingLines(
  trx: Tx,
  table: ImportedTable,
  ids: readonly string[],
  known: {
    siteIds: Map<string, string>;
    itemIds: Map<string, string>;
    itemLines: Map<string, number> | undefined;
    validated: Validated;
  },
): Promise<number[]> {
  const lines = new Set<number>();
  if (table === 'sites') {
    const wanted = new Set(ids);
    for (const [ref, id] of known.siteIds) {
      const line = wanted.has(id) ? known.validated.sites.get(ref)?.line : undefined;
      if (line !== undefined) lines.add(line);
    }
  } else {
    const itemIdsWanted =
      table === 'items'
        ? new Set(ids)
        : new Set(
            (
              await trx
                .selectFrom('markings')
                .select('item_id')
                .where('id', 'in', ids.length === 0 ? [''] : [...ids])
                .execute()
            ).map((row) => row.item_id),
          );
    for (const [ref, id] of known.itemIds) {
      const line = itemIdsWanted.has(id) ? known.itemLines?.get(ref) : undefined;
      if (line !== undefined) lines.add(line);
    }
  }
  return [...lines].sort((a, b) => a - b);
}
