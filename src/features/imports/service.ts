/**
 * Bulk import of items and their markings from CSV (docs/markings.md, "Bulk
 * import"). The whole file is validated first, so that a bad row refuses the
 * file with its line number and nothing is written; then it is loaded in one
 * transaction, streaming, with one audit entry per created site, item and
 * marking, exactly as if each had been recorded by hand.
 */
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB } from '../../db/tables.js';
import type { Queryable, Tx } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import {
  IMPORT_BATCH_ACTION,
  IMPORT_ENTITY_TYPE,
  snapshotDigest,
  type ImportBatchRecord,
} from '../audit/import-batches.js';
import { auditSnapshot, recordChange } from '../audit/service.js';
import { fuzedCategories, type ItemCategory } from '../items/schema.js';
import { deriveFromText } from '../markings/service.js';
import { CsvSyntaxError, isUtf8File, readCsvRecords, type CsvEncoding, type CsvRecord } from './csv.js';
import * as repository from './repository.js';
import {
  importCategories,
  importColumns,
  importMarkingKinds,
  importSiteTypes,
  requiredImportColumns,
  type ImportColumn,
  type ImportProblem,
  type ImportResult,
} from './schema.js';

const PROBLEMS_SHOWN = 100;
const BATCH_MARKINGS = 5000;
const LOOKUP_CHUNK = 5000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface SiteFields {
  line: number;
  name: string | null;
  type: string | null;
  latitude: number | null;
  longitude: number | null;
  recoveredOn: string | null;
}

interface ItemFields {
  line: number;
  siteRef: string;
  category: string;
  model: string | null;
  quantity: number | null;
}

interface ParsedRow {
  line: number;
  siteRef: string;
  site: Omit<SiteFields, 'line'>;
  itemRef: string;
  item: Omit<ItemFields, 'line' | 'siteRef'>;
  marking: { kind: string; text: string; position: string | null } | null;
}

type Columns = Partial<Record<ImportColumn, number>>;

/** What the import reports while it works (rows validated, then rows loaded). */
export type ImportProgress = (phase: 'validate' | 'load', done: number, total: number | undefined) => void;

class Problems {
  readonly list: ImportProblem[] = [];
  total = 0;
  add(line: number, column: string | null, message: string): void {
    this.total += 1;
    if (this.list.length < PROBLEMS_SHOWN) this.list.push({ line, column, message });
  }
}

function readHeader(record: CsvRecord, problems: Problems): Columns {
  const columns: Columns = {};
  record.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    if (!(importColumns as readonly string[]).includes(name)) {
      problems.add(record.line, name, `unknown column; the columns are ${importColumns.join(', ')}`);
    } else if (columns[name as ImportColumn] !== undefined) {
      problems.add(record.line, name, 'the column appears twice');
    } else {
      columns[name as ImportColumn] = index;
    }
  });
  for (const required of requiredImportColumns) {
    if (columns[required] === undefined) problems.add(record.line, required, 'this column is required');
  }
  if ((columns.marking_text === undefined) !== (columns.marking_kind === undefined)) {
    problems.add(record.line, 'marking_kind', 'marking_text and marking_kind go together');
  }
  return columns;
}

/** Parses and checks one data row on its own; cross-row rules come later. */
function parseRow(record: CsvRecord, columns: Columns, width: number, problems: Problems): ParsedRow | undefined {
  if (record.fields.length !== width) {
    problems.add(record.line, null, `has ${record.fields.length} fields where the header has ${width}`);
    return undefined;
  }
  const before = problems.total;
  const value = (column: ImportColumn): string => {
    const index = columns[column];
    return index === undefined ? '' : record.fields[index]!.trim();
  };
  const text = (column: ImportColumn, max: number, required: boolean): string | null => {
    const found = value(column);
    if (found === '') {
      if (required) problems.add(record.line, column, 'is empty');
      return null;
    }
    if (found.length > max) problems.add(record.line, column, `is longer than ${max} characters`);
    return found;
  };
  const oneOf = (column: ImportColumn, allowed: readonly string[], required: boolean): string | null => {
    const found = text(column, 100, required);
    if (found !== null && !allowed.includes(found)) {
      problems.add(record.line, column, `"${found}" is not one of ${allowed.join(', ')}`);
    }
    return found;
  };
  const number = (column: ImportColumn, min: number, max: number, integer: boolean): number | null => {
    const found = value(column);
    if (found === '') return null;
    const parsed = Number(found);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      problems.add(record.line, column, `"${found}" is not ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
      return null;
    }
    return parsed;
  };

  const siteRef = text('site_ref', 100, true);
  const latitude = number('lat', -90, 90, false);
  const longitude = number('lon', -180, 180, false);
  if ((latitude === null) !== (longitude === null) && problems.total === before) {
    problems.add(record.line, latitude === null ? 'lat' : 'lon', 'give both lat and lon, or neither');
  }
  const recoveredOn = text('recovered_on', 10, false);
  if (recoveredOn !== null && (!DATE.test(recoveredOn) || Number.isNaN(Date.parse(recoveredOn)))) {
    problems.add(record.line, 'recovered_on', `"${recoveredOn}" is not a date written YYYY-MM-DD`);
  }
  const site = {
    name: text('site_name', 300, false),
    type: oneOf('site_type', importSiteTypes, false),
    latitude,
    longitude,
    recoveredOn,
  };
  const itemRef = text('item_ref', 100, true);
  const item = {
    category: oneOf('category', importCategories, true) ?? '',
    model: text('model', 200, false),
    quantity: number('quantity', 1, 100_000_000, true),
  };
  const markingText = text('marking_text', 500, false);
  const markingKind = oneOf('marking_kind', importMarkingKinds, markingText !== null);
  if (markingText === null && markingKind !== null) {
    problems.add(record.line, 'marking_text', 'is empty although marking_kind is given');
  }
  const position = text('marking_position', 200, false);
  if (problems.total !== before || siteRef === null || itemRef === null) return undefined;
  return {
    line: record.line,
    siteRef,
    site,
    itemRef,
    item,
    marking: markingText === null || markingKind === null ? null : { kind: markingKind, text: markingText, position },
  };
}

/** A later row may leave a value empty; a different one contradicts the first. */
function merge<T>(
  first: T | null,
  next: T | null,
  line: number,
  column: string,
  firstLine: number,
  what: string,
  problems: Problems,
): T | null {
  if (next === null || next === first) return first;
  if (first === null) return next;
  problems.add(line, column, `${what} was given ${JSON.stringify(first)} on line ${firstLine}`);
  return first;
}

interface Validated {
  encoding: CsvEncoding;
  rows: number;
  columns: Columns;
  width: number;
  sites: Map<string, SiteFields>;
  items: Map<string, ItemFields>;
  existingSites: Map<string, string>;
  markings: number;
}

async function* dataRows(
  path: string,
  encoding: CsvEncoding,
): AsyncGenerator<{ header: CsvRecord } | { records: CsvRecord[] }> {
  let header: CsvRecord | undefined;
  for await (const batch of readCsvRecords(path, encoding)) {
    let records = batch;
    if (header === undefined) {
      header = records[0]!;
      records = records.slice(1);
      yield { header };
    }
    // Blank lines are allowed anywhere.
    records = records.filter((record) => !(record.fields.length === 1 && record.fields[0]!.trim() === ''));
    if (records.length > 0) yield { records };
  }
}

/** Reads the whole file and checks every rule; nothing is written. */
async function validateFile(
  db: Queryable,
  investigationId: string,
  path: string,
  onProgress: ImportProgress | undefined,
): Promise<Validated> {
  const encoding: CsvEncoding = (await isUtf8File(path)) ? 'utf-8' : 'iso-8859-1';
  const problems = new Problems();
  const sites = new Map<string, SiteFields>();
  const items = new Map<string, ItemFields>();
  let columns: Columns = {};
  let width = 0;
  let rows = 0;
  let markings = 0;
  let headerSeen = false;
  try {
    for await (const chunk of dataRows(path, encoding)) {
      if ('header' in chunk) {
        headerSeen = true;
        columns = readHeader(chunk.header, problems);
        width = chunk.header.fields.length;
        if (problems.total > 0) break;
        continue;
      }
      for (const record of chunk.records) {
        rows += 1;
        const row = parseRow(record, columns, width, problems);
        if (row === undefined) continue;
        if (row.marking !== null) markings += 1;
        const site = sites.get(row.siteRef);
        if (site === undefined) {
          sites.set(row.siteRef, { line: row.line, ...row.site });
        } else {
          const at = (column: string, what: string) => [row.line, column, site.line, what, problems] as const;
          site.name = merge(site.name, row.site.name, ...at('site_name', `site ${row.siteRef}`));
          site.type = merge(site.type, row.site.type, ...at('site_type', `site ${row.siteRef}`));
          site.latitude = merge(site.latitude, row.site.latitude, ...at('lat', `site ${row.siteRef}`));
          site.longitude = merge(site.longitude, row.site.longitude, ...at('lon', `site ${row.siteRef}`));
          site.recoveredOn = merge(site.recoveredOn, row.site.recoveredOn, ...at('recovered_on', `site ${row.siteRef}`));
        }
        const item = items.get(row.itemRef);
        if (item === undefined) {
          items.set(row.itemRef, { line: row.line, siteRef: row.siteRef, ...row.item });
        } else {
          const at = (column: string) => [row.line, column, item.line, `item ${row.itemRef}`, problems] as const;
          merge(item.siteRef, row.siteRef, ...at('site_ref'));
          merge(item.category, row.item.category, ...at('category'));
          item.model = merge(item.model, row.item.model, ...at('model'));
          item.quantity = merge(item.quantity, row.item.quantity, ...at('quantity'));
        }
      }
      onProgress?.('validate', rows, undefined);
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) problems.add(error.line, null, error.message);
    else throw error;
  }
  if (!headerSeen) problems.add(1, null, 'the file is empty; the first line must name the columns');
  if (headerSeen && rows === 0 && problems.total === 0) problems.add(2, null, 'the file has no data rows');

  // What the investigation already has.
  const existingSites = new Map<string, string>();
  const siteRefs = [...sites.keys()];
  for (let start = 0; start < siteRefs.length; start += LOOKUP_CHUNK) {
    for (const found of await repository.findSitesByRef(
      db,
      investigationId,
      siteRefs.slice(start, start + LOOKUP_CHUNK),
    )) {
      const ref = found.external_ref!;
      if (found.archived_at !== null) {
        problems.add(sites.get(ref)!.line, 'site_ref', `site ${ref} exists but is archived; use another site_ref`);
      }
      existingSites.set(ref, found.id);
    }
  }
  for (const [ref, site] of sites) {
    if (existingSites.has(ref)) continue;
    if (site.name === null) problems.add(site.line, 'site_name', `site ${ref} is new, so it needs a name`);
    if (site.type === null) problems.add(site.line, 'site_type', `site ${ref} is new, so it needs a type`);
  }
  const itemRefs = [...items.keys()];
  for (let start = 0; start < itemRefs.length; start += LOOKUP_CHUNK) {
    for (const found of await repository.findItemsByRef(
      db,
      investigationId,
      itemRefs.slice(start, start + LOOKUP_CHUNK),
    )) {
      const ref = found.external_ref!;
      problems.add(items.get(ref)!.line, 'item_ref', `item ${ref} already exists in this investigation (${found.id})`);
    }
  }

  if (problems.total > 0) {
    const sorted = [...problems.list].sort((a, b) => a.line - b.line);
    throw new DomainError(
      'validation_failed',
      `The file has ${problems.total} problem${problems.total === 1 ? '' : 's'}` +
        `${problems.total > sorted.length ? ` (the first ${sorted.length} are listed)` : ''}; nothing was imported.`,
      sorted.map((problem) => ({
        field: `line ${problem.line}${problem.column === null ? '' : ` (${problem.column})`}`,
        message: problem.message,
      })),
    );
  }
  return { encoding, rows, columns, width, sites, items, existingSites, markings };
}

/**
 * Writes one batch of rows: new sites, then new items, then markings, then
 * the batch's audit entry (audit/import-batches.ts: one entry listing every
 * created row with the digest of its snapshot).
 */
async function loadBatch(
  trx: Tx,
  actor: Actor,
  stamp: repository.Stamp,
  batch: { importId: string; number: number },
  rows: readonly ParsedRow[],
  validated: Validated,
  siteIds: Map<string, string>,
  itemIds: Map<string, string>,
): Promise<{ sites: number; items: number; markings: number }> {
  const newSites: repository.NewSite[] = [];
  const newItems: repository.NewItem[] = [];
  const newMarkings: repository.NewMarking[] = [];
  for (const row of rows) {
    if (!siteIds.has(row.siteRef)) {
      const site = validated.sites.get(row.siteRef)!;
      const id = uuidv7();
      siteIds.set(row.siteRef, id);
      newSites.push({
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
      itemId = uuidv7();
      itemIds.set(row.itemRef, itemId);
      newItems.push({
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
      const derived = deriveFromText(row.marking.text, undefined);
      newMarkings.push({
        id: uuidv7(),
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
  const sites = await repository.insertSites(trx, stamp, newSites);
  const items = await repository.insertItems(trx, stamp, newItems);
  const markings = await repository.insertMarkings(trx, stamp, newMarkings);
  const digests = (table: string, rows: readonly { id: string }[]) =>
    Object.fromEntries(rows.map((row) => [row.id, snapshotDigest(auditSnapshot(table, row))]));
  const record: ImportBatchRecord = {
    import_id: batch.importId,
    batch: batch.number,
    created: { sites: digests('sites', sites), items: digests('items', items), markings: digests('markings', markings) },
  };
  await recordChange(trx, actor, {
    action: IMPORT_BATCH_ACTION,
    entityType: IMPORT_ENTITY_TYPE,
    entityId: batch.importId,
    investigationId: stamp.investigationId,
    after: record,
  });
  return { sites: sites.length, items: items.length, markings: markings.length };
}

/**
 * Imports items and their markings from a CSV file into an investigation.
 * Refuses the whole file, listing each problem with its line, when any row
 * is wrong; otherwise loads it in one transaction. The encoding is UTF-8,
 * or ISO-8859-1 when the file is not valid UTF-8.
 *
 * @example
 * const result = await importItemsCsv(db, actor, investigationId, 'caches.csv');
 * console.log(`${result.markings_created} markings on ${result.items_created} items`);
 */
export async function importItemsCsv(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  path: string,
  onProgress?: ImportProgress,
): Promise<ImportResult> {
  const started = performance.now();
  await requireRole(db, actor, investigationId, 'investigator');
  const validated = await validateFile(db, investigationId, path, onProgress);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const stamp = { investigationId, userId: actor.userId, at: new Date().toISOString() };
    const siteIds = new Map(validated.existingSites);
    const itemIds = new Map<string, string>();
    const totals = { sites: 0, items: 0, markings: 0 };
    let done = 0;
    const importId = uuidv7();
    let batchNumber = 0;
    let batch: ParsedRow[] = [];
    const flush = async () => {
      batchNumber += 1;
      const written = await loadBatch(
        trx,
        actor,
        stamp,
        { importId, number: batchNumber },
        batch,
        validated,
        siteIds,
        itemIds,
      );
      totals.sites += written.sites;
      totals.items += written.items;
      totals.markings += written.markings;
      done += batch.length;
      batch = [];
      onProgress?.('load', done, validated.rows);
    };
    const problems = new Problems();
    for await (const chunk of dataRows(path, validated.encoding)) {
      if ('header' in chunk) continue;
      for (const record of chunk.records) {
        // Validated already; parsing again costs less than keeping every row in memory.
        const row = parseRow(record, validated.columns, validated.width, problems);
        if (row === undefined) throw new Error(`line ${record.line} changed since it was validated`);
        batch.push(row);
        if (batch.length >= BATCH_MARKINGS) await flush();
      }
    }
    if (batch.length > 0) await flush();
    return {
      encoding: validated.encoding,
      rows: validated.rows,
      sites_created: totals.sites,
      sites_reused: validated.existingSites.size,
      items_created: totals.items,
      markings_created: totals.markings,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  });
}
