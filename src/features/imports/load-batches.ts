// The batches of an item import (service.ts runs them): the sites, items and markings a batch of rows creates, with
// ids drawn in bulk and marking keys derived once per transcription; their writing (COPY once a table's stored form
// is known, see RowModel) and the batch's one audit entry.
import { v7 as uuidv7 } from 'uuid';
import type { Tx } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { IMPORT_BATCH_ACTION, IMPORT_ENTITY_TYPE, type ImportBatchRecord } from '../audit/import-batches.js';
import { auditedColumns, auditRowDigest, recordChange, rowDigester } from '../audit/service.js';
import { fuzedCategories, type ItemCategory } from '../items/schema.js';
import { deriveFromText } from '../markings/service.js';
import type { Validated } from './read.js';
import type { LoadRow } from './rows.js';
import * as repository from './repository.js';

type ImportedTable = repository.ImportedTable;

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** UUIDv7s for many rows, their random bytes drawn in bulk (one call per 4096 ids, not one per id). */
export function createIdSource(): () => string {
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
export function createDeriver(): (text: string) => DerivedKeys {
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

export interface PreparedBatch {
  rows: number;
  sites: repository.NewSite[];
  items: repository.NewItem[];
  markings: repository.NewMarking[];
}

export interface WrittenBatch {
  prepared: PreparedBatch;
  /** The rows read back, for tables not yet known to be built faithfully from the input. */
  stored: Record<ImportedTable, Record<string, unknown>[]>;
}

/** What will be created from a batch of rows: the sites and items first seen in it, and every marking. */
export async function prepareBatch(
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
export class RowModel {
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

export async function writeBatch(
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
export async function auditBatch(
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
export function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
