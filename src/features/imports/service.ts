/**
 * Bulk import of items and their markings from CSV (docs/markings.md, "Bulk
 * import"). The whole file is validated first, so that a bad row refuses the
 * file with its line number and nothing is written; then it is loaded in one
 * transaction, streaming, with one audit entry per created site, item and
 * marking, exactly as if each had been recorded by hand.
 */
import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../errors.js';
import { v7 as uuidv7 } from 'uuid';
import { analyzeTables } from '../../db/maintenance.js';
import type { DB } from '../../db/tables.js';
import type { Tx } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { IMPORT_BATCH_ACTION, IMPORT_ENTITY_TYPE, type ImportBatchRecord } from '../audit/import-batches.js';
import { auditedColumns, auditRowDigest, recordChange, rowDigester } from '../audit/service.js';
import { fuzedCategories, type ItemCategory } from '../items/schema.js';
import { deriveFromText } from '../markings/service.js';
import type { CsvEncoding } from './csv.js';
import { dataRows, ROWS_KEPT, validateFile, type ImportProgress, type Validated } from './read.js';
import { FieldReader, parseLoadRow, Problems, type LoadRow } from './rows.js';
import * as repository from './repository.js';
import type { ImportMapping, ImportResult } from './schema.js';

export { previewItemsCsv, type ImportProgress } from './read.js';

const BATCH_ROWS = 10_000;
const WRITES_QUEUED = 2;
const AUDITS_QUEUED = 6;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** UUIDv7s for many rows, their random bytes drawn in bulk (one call per 4096 ids, not one per id). */
function createIdSource(): () => string {
  let pool = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset + 16 > pool.length) {
      pool = crypto.getRandomValues(new Uint8Array(16 * 4096));
      offset = 0;
    }
    const random = pool.subarray(offset, offset + 16);
    offset += 16;
    return uuidv7({ random });
  };
}

type DerivedKeys = ReturnType<typeof deriveFromText>;

// Distinct transcriptions remembered at most: a factory code or a headstamp
// recurs on thousands of rows, a serial once; beyond this the memory is
// emptied rather than left to grow with the file.
const DERIVED_REMEMBERED = 50_000;

/** deriveFromText, remembered per transcription (the same text always derives the same keys). */
function createDeriver(): (text: string) => DerivedKeys {
  const known = new Map<string, DerivedKeys>();
  return (text) => {
    let derived = known.get(text);
    if (derived === undefined) {
      if (known.size >= DERIVED_REMEMBERED) known.clear();
      derived = deriveFromText(text, undefined);
      known.set(text, derived);
    }
    return derived;
  };
}

interface PreparedBatch {
  rows: number;
  sites: repository.NewSite[];
  items: repository.NewItem[];
  markings: repository.NewMarking[];
}

interface WrittenBatch {
  prepared: PreparedBatch;
  /** The rows read back, for tables not yet known to be built faithfully from the input. */
  stored: Record<ImportedTable, Record<string, unknown>[]>;
}

/** What will be created from a batch of rows: the sites and items first seen in it, and every marking. */
async function prepareBatch(
  rows: readonly LoadRow[],
  validated: Validated,
  siteIds: Map<string, string>,
  itemIds: Map<string, string>,
  nextId: () => string,
  derive: (text: string) => DerivedKeys,
): Promise<PreparedBatch> {
  const prepared: PreparedBatch = { rows: rows.length, sites: [], items: [], markings: [] };
  for (const [index, row] of rows.entries()) {
    if (index % 500 === 499) await yieldToEventLoop();
    if (!siteIds.has(row.siteRef)) {
      const site = validated.sites.get(row.siteRef)!;
      const id = nextId();
      siteIds.set(row.siteRef, id);
      prepared.sites.push({
        id,
        external_ref: row.siteRef,
        site_type: site.type!,
        name: site.name!,
        latitude: site.latitude,
        longitude: site.longitude,
        recovered_on: site.recoveredOn,
      });
    }
    let itemId = itemIds.get(row.itemRef);
    if (itemId === undefined) {
      const item = validated.items.get(row.itemRef)!;
      // Not needed again: the fewer objects stay alive, the cheaper each garbage collection on a large file.
      validated.items.delete(row.itemRef);
      itemId = nextId();
      itemIds.set(row.itemRef, itemId);
      prepared.items.push({
        id: itemId,
        site_id: siteIds.get(item.siteRef)!,
        external_ref: row.itemRef,
        category: item.category,
        model: item.model,
        quantity: item.quantity ?? 1,
        // As when recorded by hand: an unrecorded fuze state on a fuzed category is 'unknown'.
        fuze_fitted: fuzedCategories.includes(item.category as ItemCategory) ? 'unknown' : null,
      });
    }
    if (row.marking !== null) {
      const derived = derive(row.marking.text);
      prepared.markings.push({
        id: nextId(),
        item_id: itemId,
        text: row.marking.text,
        kind: row.marking.kind,
        position: row.marking.position,
        normalized: derived.normalized,
        script: derived.script,
        legibility: derived.legibility,
        skeleton: derived.skeleton,
        confusion_key: derived.confusion_key,
      });
    }
  }
  return prepared;
}

type ImportedTable = repository.ImportedTable;

/**
 * An import at least this large (in new rows of a table), and at least as
 * large as what the table already holds, loads that table without its
 * secondary indexes and foreign keys and builds them again at the end (see
 * {@link planBulkLoad}). Below it, or into a larger table, rows go into the
 * indexes one by one: rebuilding would cost more than it saves, and the
 * table would stay locked for longer.
 */
const BULK_MINIMUM_ROWS = 10_000;

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
async function planBulkLoad(
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
 * How the database stores the rows of one table, learned from its first
 * batch: that batch is inserted with RETURNING, the columns the import does
 * not set are taken as constant defaults, and every row's audit digest is
 * computed both from what came back and from the input plus the defaults.
 * When all agree, later batches are not read back (on a large import,
 * reading back costs as much as writing) and their digests are computed from
 * the input; when any differs (a trigger, a default that varies), every
 * batch is read back.
 */
class RowModel {
  private digester: ((row: Record<string, unknown>) => string) | undefined;
  private trusted: boolean | undefined;

  constructor(
    private readonly table: ImportedTable,
    private readonly stamp: repository.Stamp,
  ) {}

  get needsReadBack(): boolean {
    return this.trusted !== true;
  }

  /** [id, audit digest] of each row written from `inputs` (`stored`: the rows read back, if they were). */
  digests(inputs: readonly object[], stored: readonly Record<string, unknown>[]): [string, string][] {
    if (this.trusted === undefined && stored.length > 0) this.learn(inputs, stored);
    if (this.trusted === true && stored.length === 0) {
      const digest = this.digester!;
      return inputs.map((input) => [(input as { id: string }).id, digest(input as Record<string, unknown>)]);
    }
    return stored.map((row) => [row.id as string, auditRowDigest(this.table, row)]);
  }

  private learn(inputs: readonly object[], stored: readonly Record<string, unknown>[]): void {
    const at = new Date(this.stamp.at);
    const stamped: Record<string, unknown> = {
      investigation_id: this.stamp.investigationId,
      created_by: this.stamp.userId,
      created_at: at,
      updated_at: at,
    };
    const given = new Set(Object.keys(inputs[0]!));
    const first = stored[0]!;
    const columns = auditedColumns(this.table, Object.keys(first));
    const constants: Record<string, unknown> = {};
    for (const column of columns) {
      if (!given.has(column)) constants[column] = column in stamped ? stamped[column] : first[column];
    }
    const digest = rowDigester(columns, constants);
    this.digester = digest;
    const byId = new Map(stored.map((row) => [row.id as string, row]));
    this.trusted = inputs.every((input) => {
      const row = byId.get((input as { id: string }).id);
      return row !== undefined && auditRowDigest(this.table, row) === digest(input as Record<string, unknown>);
    });
  }
}

async function writeBatch(
  trx: Tx,
  stamp: repository.Stamp,
  models: Record<ImportedTable, RowModel>,
  prepared: PreparedBatch,
): Promise<WrittenBatch> {
  // Once a table's stored form is known (RowModel), its rows go in through COPY and are not read back.
  const sites = models.sites.needsReadBack
    ? await repository.insertSites(trx, stamp, prepared.sites, true)
    : await repository.copySites(trx, stamp, prepared.sites).then(() => []);
  const items = models.items.needsReadBack
    ? await repository.insertItems(trx, stamp, prepared.items, true)
    : await repository.copyItems(trx, stamp, prepared.items).then(() => []);
  const markings = models.markings.needsReadBack
    ? await repository.insertMarkings(trx, stamp, prepared.markings, true)
    : await repository.copyMarkings(trx, stamp, prepared.markings).then(() => []);
  return { prepared, stored: { sites, items, markings } };
}

/**
 * The batch's audit entry (audit/import-batches.ts): every created row with
 * the digest of its snapshot, in one entry of the hash chain.
 */
async function auditBatch(
  trx: Tx,
  actor: Actor,
  stamp: repository.Stamp,
  models: Record<ImportedTable, RowModel>,
  batch: { importId: string; number: number },
  written: WrittenBatch,
): Promise<void> {
  const created: ImportBatchRecord['created'] = {};
  for (const table of ['sites', 'items', 'markings'] as const) {
    const inputs = written.prepared[table];
    created[table] = [];
    // In slices, letting the next batch's inserts go out while this one is digested.
    for (let start = 0; start < inputs.length || start < written.stored[table].length; start += 500) {
      created[table].push(
        ...models[table].digests(inputs.slice(start, start + 500), written.stored[table].slice(start, start + 500)),
      );
      await yieldToEventLoop();
    }
  }
  const record: ImportBatchRecord = { import_id: batch.importId, batch: batch.number, created };
  await recordChange(trx, actor, {
    action: IMPORT_BATCH_ACTION,
    entityType: IMPORT_ENTITY_TYPE,
    entityId: batch.importId,
    investigationId: stamp.investigationId,
    after: record,
  });
}

/** A promise awaited later: mark it handled now, so a failure waits for its turn instead of crashing the process. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

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

/**
 * Builds the indexes set aside and adds the foreign keys again, each checked
 * by one join; a key the import's rows break refuses the import (the
 * transaction rolls back) naming the lines of the rows that break it.
 */
async function restoreAfterLoad(
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

/** The tables an item import writes (markings' search keys through their trigger). */
const importedTables = ['sites', 'items', 'markings', 'marking_search_keys'] as const;
