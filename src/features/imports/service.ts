/**
 * Bulk import of items and their markings from CSV (docs/markings.md, "Bulk
 * import"). The whole file is validated first, so that a bad row refuses the
 * file with its line number and nothing is written; then it is loaded in one
 * transaction, streaming, with one audit entry per created site, item and
 * marking, exactly as if each had been recorded by hand.
 */
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { analyzeTables } from '../../db/maintenance.js';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { BULK_MINIMUM_ROWS, planBulkLoad, restoreAfterLoad } from './bulk-load.js';
import type { CsvEncoding } from './csv.js';
import {
  auditBatch,
  createDeriver,
  createIdSource,
  later,
  prepareBatch,
  RowModel,
  writeBatch,
  yieldToEventLoop,
  type WrittenBatch,
} from './load-batches.js';
import { dataRows, ROWS_KEPT, validateFile, type ImportProgress } from './read.js';
import { FieldReader, parseLoadRow, Problems, type LoadRow } from './rows.js';
import * as repository from './repository.js';
import type { ImportMapping, ImportResult } from './schema.js';

export { previewItemsCsv, type ImportProgress } from './read.js';

const BATCH_ROWS = 10_000;
const WRITES_QUEUED = 2;
const AUDITS_QUEUED = 6;

/**
 * Imports items and their markings from a CSV file or an XLSX sheet into an investigation.
 * Refuses the whole file, listing each problem with its line, when any row
 * is wrong; otherwise loads it in one transaction. The whole file is read in
 * one encoding: `options.encoding`, else UTF-8, else ISO-8859-1 when the file
 * is not UTF-8 and holds no UTF-8 text at all; a file that mixes them is
 * refused with the line and column of its first byte that is not UTF-8.
 *
 * @example
 * const result = await importItemsCsv(db, actor, investigationId, 'caches.csv', {
 *   onProgress: (phase, done, total) => console.log(phase, done, total),
 * });
 * console.log(`${result.markings_created} markings on ${result.items_created} items`);
 */
export async function importItemsCsv(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  path: string,
  options: {
    onProgress?: ImportProgress | undefined;
    batchSize?: number | undefined;
    /** The file's encoding as the user names it; decided from the bytes when not given. */
    encoding?: CsvEncoding | undefined;
    /** Header → field, as the user confirmed it; headers not in it are recognised by name. */
    mapping?: ImportMapping | undefined;
    /** The sheet of a workbook to read; the first when not given. */
    sheet?: string | undefined;
    /** Rows of a file the validation keeps for the load, beyond which the load reads the file again (for tests). */
    rowsKept?: number | undefined;
    /** New rows from which a table is loaded with its indexes set aside ({@link BULK_MINIMUM_ROWS}; for tests). */
    bulkMinimumRows?: number | undefined;
  } = {},
): Promise<ImportResult> {
  const { onProgress, batchSize = BATCH_ROWS } = options;
  const started = performance.now();
  await requireRole(db, actor, investigationId, 'investigator');
  const validated = await validateFile(db, investigationId, path, onProgress, {
    ...options,
    keepRows: options.rowsKept ?? ROWS_KEPT,
  });
  const result = await db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const stamp = { investigationId, userId: actor.userId, at: new Date().toISOString() };
    const importId = uuidv7();
    const nextId = createIdSource();
    const derive = createDeriver();
    const models = {
      sites: new RowModel('sites', stamp),
      items: new RowModel('items', stamp),
      markings: new RowModel('markings', stamp),
    };
    const siteIds = new Map(validated.existingSites);
    const itemIds = new Map<string, string>();
    const plan = await planBulkLoad(
      trx,
      {
        sites: validated.sites.size - validated.existingSites.size,
        items: validated.items.size,
        markings: validated.markings,
      },
      options.bulkMinimumRows ?? BULK_MINIMUM_ROWS,
    );
    const setAside = await repository.setAsideForBulkLoad(trx, plan.tables, plan.foreignKeysTo);
    // The first line of each site and item, to name them if a foreign key checked at the end fails.
    const itemLines =
      setAside === undefined || setAside.foreignKeys.length === 0 ? undefined : new Map<string, number>();
    const totals = { sites: 0, items: 0, markings: 0, rows: 0 };
    // Up to WRITES_QUEUED batches queued on the connection, so that the
    // database always has the next statement waiting while this process
    // reads and prepares the batch after it and digests the one before.
    const writes: Promise<WrittenBatch>[] = [];
    let auditing: Promise<void> = Promise.resolve();
    let batchNumber = 0;
    // Audit entries are chained, not awaited: their statements queue behind
    // the writes, and waiting for them here would stall the reading.
    let auditsPending = 0;
    const audit = (written: WrittenBatch) => {
      batchNumber += 1;
      auditsPending += 1;
      const batch = { importId, number: batchNumber };
      auditing = later(
        auditing.then(async () => {
          await auditBatch(trx, actor, stamp, models, batch, written);
          auditsPending -= 1;
        }),
      );
      totals.sites += written.prepared.sites.length;
      totals.items += written.prepared.items.length;
      totals.markings += written.prepared.markings.length;
      totals.rows += written.prepared.rows;
      onProgress?.('load', totals.rows, validated.rows);
    };
    const flush = async (rows: readonly LoadRow[]) => {
      const prepared = await prepareBatch(rows, validated, siteIds, itemIds, nextId, derive);
      writes.push(later(writeBatch(trx, stamp, models, prepared)));
      if (writes.length > WRITES_QUEUED) audit(await writes.shift()!);
      // Bounds the batches held in memory, and stops at the first failure.
      if (auditsPending > AUDITS_QUEUED) await auditing;
    };
    try {
      let batch: LoadRow[] = [];
      const take = async (row: LoadRow) => {
        if (itemLines !== undefined && !itemLines.has(row.itemRef)) itemLines.set(row.itemRef, row.line);
        batch.push(row);
        // Let the database's answers in, so the batch in flight moves on while this one is read.
        if (batch.length % 500 === 0) await yieldToEventLoop();
        if (batch.length >= batchSize) {
          await flush(batch);
          batch = [];
        }
      };
      const kept = validated.loadRows;
      if (kept !== undefined) {
        // Kept by the validation: the file is not read again.
        for (let index = 0; index < kept.length; index += 1) {
          const row = kept[index]!;
          kept[index] = undefined;
          await take(row);
        }
        validated.loadRows = undefined;
      } else {
        const reader = new FieldReader(validated.columns, new Problems());
        for await (const chunk of dataRows(path, validated.encoding, validated.sheet)) {
          if ('header' in chunk) continue;
          for (const record of chunk.records) {
            // Validated already, but too large to keep: parsed again.
            const row = parseLoadRow(record, reader, validated.width);
            if (row === undefined) throw new Error(`line ${record.line} changed since it was validated`);
            await take(row);
          }
        }
      }
      if (batch.length > 0) await flush(batch);
      while (writes.length > 0) audit(await writes.shift()!);
      await auditing;
    } finally {
      // On failure, let what is in flight finish before the transaction rolls back.
      await Promise.allSettled([...writes, auditing]);
    }
    if (setAside !== undefined) {
      // Reported as the analysis phase (the search indexes and their statistics), so the progress contract is unchanged.
      onProgress?.('analyse', 0, 1);
      await restoreAfterLoad(trx, stamp, setAside, { siteIds, itemIds, itemLines, validated });
      onProgress?.('analyse', 1, 1);
    }
    return {
      encoding: validated.encoding,
      rows: validated.rows,
      sites_created: totals.sites,
      sites_reused: validated.existingSites.size,
      items_created: totals.items,
      markings_created: totals.markings,
      seconds: 0,
    };
  });
  // The search indexes' pending entries flushed and the new rows' statistics taken, at once: without them every
  // search reads the pending lists whole and the planner guesses, and on the embedded database (no autovacuum)
  // both would go on. Part of the import's time, so the reported seconds include it.
  // In two halves of about equal cost, each on a connection of its own: on PostgreSQL they run at once (the
  // embedded database has one connection and runs them one after the other).
  onProgress?.('analyse', 0, 1);
  await Promise.all([
    repository.flushGinPendingLists(db, importedTables).then(() => analyzeTables(db, ['sites', 'items'])),
    analyzeTables(db, ['markings', 'marking_search_keys']),
  ]);
  onProgress?.('analyse', 1, 1);
  return { ...result, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

/** The tables an item import writes (markings' search keys through their trigger). */
const importedTables = ['sites', 'items', 'markings', 'marking_search_keys'] as const;
