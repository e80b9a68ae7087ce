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
import type { Queryable, Tx } from '../../db/versioned.js';
import { DomainError, GENERIC_FIELD_CODE, type FieldProblemParams } from '../../errors.js';
import { parseCoordinate, type CoordinateAxis } from '../../parsing/coordinates.js';
import { readNumber, type NumberProblemCode, type NumberRules } from '../../parsing/numbers.js';
import { describeUnstorable, findUnstorableCharacter } from '../../parsing/storable-text.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { IMPORT_BATCH_ACTION, IMPORT_ENTITY_TYPE, type ImportBatchRecord } from '../audit/import-batches.js';
import { auditedColumns, auditRowDigest, recordChange, rowDigester } from '../audit/service.js';
import { fuzedCategories, type ItemCategory } from '../items/schema.js';
import { deriveFromText } from '../markings/service.js';
import { describeCoordinateProblem } from '../sites/schema.js';
import {
  CsvEncodingError,
  CsvSyntaxError,
  decideCsvEncoding,
  readCsvRecords,
  scanEncoding,
  type CsvEncoding,
  type CsvRecord,
} from './csv.js';
import * as repository from './repository.js';
import {
  importCategories,
  importColumns,
  importMarkingKinds,
  importSiteTypes,
  requiredImportColumns,
  type ImportColumn,
  type ImportPreview,
  type ImportProblem,
  type ImportResult,
} from './schema.js';

const PROBLEMS_SHOWN = 100;
const PREVIEW_SITES = 200;
const BATCH_ROWS = 10_000;
const WRITES_QUEUED = 2;
const AUDITS_QUEUED = 6;
const LOOKUP_CHUNK = 50_000;
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
export type ImportProgress = (phase: 'validate' | 'load' | 'analyse', done: number, total: number | undefined) => void;

/** One problem of the file, with the stable code and parameters of the field problem it becomes. */
interface CodedImportProblem extends ImportProblem {
  code?: string;
  params?: FieldProblemParams;
}

class Problems {
  readonly list: CodedImportProblem[] = [];
  total = 0;
  add(line: number, column: string | null, message: string, code?: string, params?: FieldProblemParams): void {
    this.total += 1;
    if (this.list.length < PROBLEMS_SHOWN) {
      this.list.push({
        line,
        column,
        message,
        ...(code === undefined ? {} : { code }),
        ...(params === undefined ? {} : { params }),
      });
    }
  }
}

/** English text of a number the shared reader refused, for the import report. */
function describeNumberProblem(code: NumberProblemCode, rules: Required<NumberRules>): string {
  switch (code) {
    case 'number_ambiguous':
      return 'could be read as thousands or as decimals; write it without a thousands separator';
    case 'number_too_precise':
      return 'has more digits than can be stored exactly';
    default:
      return `is not ${rules.whole ? 'a whole number' : 'a number'} from ${rules.minimum} to ${rules.maximum}`;
  }
}

/** Refuses every cell PostgreSQL could not store exactly (NUL, a lone surrogate), naming its line and column. */
function checkStorable(record: CsvRecord, names: readonly string[], problems: Problems): void {
  record.fields.forEach((field, index) => {
    const found = findUnstorableCharacter(field);
    if (found === null) return;
    problems.add(record.line, names[index] ?? `column ${index + 1}`, describeUnstorable(found), 'text_not_storable', {
      character: found.character,
      position: found.index + 1,
    });
  });
}

function readHeader(record: CsvRecord, problems: Problems): Columns {
  const columns: Columns = {};
  checkStorable(record, [], problems);
  record.fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (name === '') return;
    if (!(importColumns as readonly string[]).includes(name)) {
      problems.add(record.line, name, `unknown column; the columns are ${importColumns.join(', ')}`, 'column_unknown', {
        columns: importColumns.join(', '),
      });
    } else if (columns[name as ImportColumn] !== undefined) {
      problems.add(record.line, name, 'the column appears twice', 'column_repeated');
    } else {
      columns[name as ImportColumn] = index;
    }
  });
  for (const required of requiredImportColumns) {
    if (columns[required] === undefined)
      problems.add(record.line, required, 'this column is required', 'column_missing');
  }
  if ((columns.marking_text === undefined) !== (columns.marking_kind === undefined)) {
    problems.add(record.line, 'marking_kind', 'marking_text and marking_kind go together', 'columns_go_together', {
      other: 'marking_text',
    });
  }
  return columns;
}

/** Reads the fields of one data row at a time by column name, noting each problem with its line. */
class FieldReader {
  private record: CsvRecord = { line: 0, fields: [] };
  /** The column name at each position of a row. */
  readonly names: string[] = [];

  constructor(
    private readonly columns: Columns,
    readonly problems: Problems,
  ) {
    for (const [name, index] of Object.entries(columns)) this.names[index] = name;
  }

  start(record: CsvRecord): void {
    this.record = record;
  }

  get line(): number {
    return this.record.line;
  }

  /** The cell as written: text that is stored keeps its surrounding white space, like any other character. */
  private asWritten(column: ImportColumn): string {
    const index = this.columns[column];
    return index === undefined ? '' : this.record.fields[index]!;
  }

  /** The cell without surrounding white space, for values that are parsed (numbers, dates, names from a list). */
  value(column: ImportColumn): string {
    return this.asWritten(column).trim();
  }

  /**
   * A text cell, stored exactly as written (`parsed`: trimmed, for a value that is parsed, not stored as text).
   * A cell of white space only counts as empty.
   */
  text(column: ImportColumn, max: number, required: boolean, parsed = false): string | null {
    const found = parsed ? this.value(column) : this.asWritten(column);
    if (found.trim() === '') {
      if (required) this.problems.add(this.line, column, 'is empty', 'required');
      return null;
    }
    if (found.length > max) {
      this.problems.add(this.line, column, `is longer than ${max} characters`, 'too_long', { maximum: max });
    }
    return found;
  }

  oneOf(column: ImportColumn, allowed: readonly string[], required: boolean): string | null {
    const found = this.text(column, 100, required, true);
    if (found !== null && !allowed.includes(found)) {
      this.problems.add(this.line, column, `"${found}" is not one of ${allowed.join(', ')}`, 'invalid_option', {
        options: allowed.join('|'),
      });
    }
    return found;
  }

  /** A number as typed (digits of any script, `.`, `,` or `٫`), read by the shared number reader. */
  number(column: ImportColumn, rules: Required<NumberRules>): number | null {
    const found = this.value(column);
    if (found === '') return null;
    const result = readNumber(found, rules);
    if (result.ok) return result.value;
    const message = `"${found}" ${describeNumberProblem(result.code, rules)}`;
    this.problems.add(this.line, column, message, result.code, result.params);
    return null;
  }

  /** A latitude or longitude in any spelling the one coordinate parser reads. */
  coordinate(column: 'lat' | 'lon', axis: CoordinateAxis): number | null {
    const found = this.value(column);
    if (found === '') return null;
    const result = parseCoordinate(found, axis);
    if (result.ok) return result.value;
    this.problems.add(
      this.line,
      column,
      `"${found}" ${describeCoordinateProblem(result.code, result.params)}`,
      result.code,
      result.params,
    );
    return null;
  }
}

/**
 * A real day written YYYY-MM-DD, from year 1 (PostgreSQL has no year 0). `Date.parse` is not enough: it rolls
 * 2023-02-29 over to March 1st, and the database then refused the row with an internal error (found by the
 * fuzz test).
 */
function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses and checks one data row on its own; cross-row rules come later. */
function parseRow(record: CsvRecord, reader: FieldReader, width: number): ParsedRow | undefined {
  const problems = reader.problems;
  if (record.fields.length !== width) {
    problems.add(record.line, null, `has ${record.fields.length} fields where the header has ${width}`, 'field_count', {
      found: record.fields.length,
      expected: width,
    });
    return undefined;
  }
  reader.start(record);
  const before = problems.total;
  checkStorable(record, reader.names, problems);
  const siteRef = reader.text('site_ref', 100, true);
  const latitude = reader.coordinate('lat', 'latitude');
  const longitude = reader.coordinate('lon', 'longitude');
  if ((latitude === null) !== (longitude === null) && problems.total === before) {
    problems.add(
      record.line,
      latitude === null ? 'lat' : 'lon',
      'give both lat and lon, or neither',
      'coordinate_pair_incomplete',
    );
  }
  const recoveredOn = reader.text('recovered_on', 10, false, true);
  if (recoveredOn !== null && !isCalendarDate(recoveredOn)) {
    problems.add(record.line, 'recovered_on', `"${recoveredOn}" is not a date written YYYY-MM-DD`, 'invalid_date');
  }
  const site = {
    name: reader.text('site_name', 300, false),
    type: reader.oneOf('site_type', importSiteTypes, false),
    latitude,
    longitude,
    recoveredOn,
  };
  const itemRef = reader.text('item_ref', 100, true);
  const item = {
    category: reader.oneOf('category', importCategories, true) ?? '',
    model: reader.text('model', 200, false),
    quantity: reader.number('quantity', { whole: true, minimum: 1, maximum: 100_000_000 }),
  };
  const markingText = reader.text('marking_text', 500, false);
  const markingKind = reader.oneOf('marking_kind', importMarkingKinds, markingText !== null);
  if (markingText === null && markingKind !== null) {
    problems.add(record.line, 'marking_text', 'is empty although marking_kind is given', 'required');
  }
  const position = reader.text('marking_position', 200, false);
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
  problems.add(line, column, `${what} was given ${JSON.stringify(first)} on line ${firstLine}`, 'conflicting_value', {
    value: String(first),
    first_line: firstLine,
  });
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

/** The one encoding of the whole file, or a refusal naming the line and column of its first bad byte. */
async function fileEncoding(path: string, requested: CsvEncoding | undefined): Promise<CsvEncoding> {
  try {
    return decideCsvEncoding(await scanEncoding(path), requested);
  } catch (error) {
    if (!(error instanceof CsvEncodingError)) throw error;
    const { line, column, byte } = error.position;
    throw new DomainError('validation_failed', `The file's encoding is not clear; nothing was imported.`, [
      {
        field: `line ${line}, column ${column}`,
        message: error.message,
        code: 'encoding_invalid',
        params: { line, column, byte },
      },
    ]);
  }
}

/** Reads the whole file and checks every rule; nothing is written. */
async function checkFile(
  db: Queryable,
  investigationId: string,
  path: string,
  onProgress: ImportProgress | undefined,
  requestedEncoding: CsvEncoding | undefined,
): Promise<{ validated: Validated; problems: Problems }> {
  const encoding = await fileEncoding(path, requestedEncoding);
  const problems = new Problems();
  const sites = new Map<string, SiteFields>();
  const items = new Map<string, ItemFields>();
  let columns: Columns = {};
  let reader = new FieldReader(columns, problems);
  let width = 0;
  let rows = 0;
  let markings = 0;
  let headerSeen = false;
  try {
    for await (const chunk of dataRows(path, encoding)) {
      if ('header' in chunk) {
        headerSeen = true;
        columns = readHeader(chunk.header, problems);
        reader = new FieldReader(columns, problems);
        width = chunk.header.fields.length;
        if (problems.total > 0) break;
        continue;
      }
      for (const record of chunk.records) {
        rows += 1;
        const row = parseRow(record, reader, width);
        if (row === undefined) continue;
        if (row.marking !== null) markings += 1;
        const site = sites.get(row.siteRef);
        if (site === undefined) {
          sites.set(row.siteRef, { line: row.line, ...row.site });
        } else {
          const what = `site ${row.siteRef}`;
          site.name = merge(site.name, row.site.name, row.line, 'site_name', site.line, what, problems);
          site.type = merge(site.type, row.site.type, row.line, 'site_type', site.line, what, problems);
          site.latitude = merge(site.latitude, row.site.latitude, row.line, 'lat', site.line, what, problems);
          site.longitude = merge(site.longitude, row.site.longitude, row.line, 'lon', site.line, what, problems);
          site.recoveredOn = merge(
            site.recoveredOn,
            row.site.recoveredOn,
            row.line,
            'recovered_on',
            site.line,
            what,
            problems,
          );
        }
        const item = items.get(row.itemRef);
        if (item === undefined) {
          items.set(row.itemRef, { line: row.line, siteRef: row.siteRef, ...row.item });
        } else {
          const what = `item ${row.itemRef}`;
          merge(item.siteRef, row.siteRef, row.line, 'site_ref', item.line, what, problems);
          merge(item.category, row.item.category, row.line, 'category', item.line, what, problems);
          item.model = merge(item.model, row.item.model, row.line, 'model', item.line, what, problems);
          item.quantity = merge(item.quantity, row.item.quantity, row.line, 'quantity', item.line, what, problems);
        }
      }
      onProgress?.('validate', rows, undefined);
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) problems.add(error.line, null, error.message, 'csv_syntax');
    else throw error;
  }
  if (!headerSeen) problems.add(1, null, 'the file is empty; the first line must name the columns', 'file_empty');
  if (headerSeen && rows === 0 && problems.total === 0)
    problems.add(2, null, 'the file has no data rows', 'file_no_rows');

  // What the investigation already has.
  const existingSites = new Map<string, string>();
  const siteRefs = (await repository.hasExternalRefs(db, 'sites', investigationId)) ? [...sites.keys()] : [];
  for (let start = 0; start < siteRefs.length; start += LOOKUP_CHUNK) {
    for (const found of await repository.findSitesByRef(
      db,
      investigationId,
      siteRefs.slice(start, start + LOOKUP_CHUNK),
    )) {
      const ref = found.external_ref!;
      if (found.archived_at !== null) {
        problems.add(
          sites.get(ref)!.line,
          'site_ref',
          `site ${ref} exists but is archived; use another site_ref`,
          'reference_archived',
        );
      }
      existingSites.set(ref, found.id);
    }
  }
  for (const [ref, site] of sites) {
    if (existingSites.has(ref)) continue;
    if (site.name === null)
      problems.add(site.line, 'site_name', `site ${ref} is new, so it needs a name`, 'required_for_new_site');
    if (site.type === null)
      problems.add(site.line, 'site_type', `site ${ref} is new, so it needs a type`, 'required_for_new_site');
  }
  // A first import into an investigation has nothing to collide with: skip the lookups.
  const itemRefs = (await repository.hasExternalRefs(db, 'items', investigationId)) ? [...items.keys()] : [];
  for (let start = 0; start < itemRefs.length; start += LOOKUP_CHUNK) {
    for (const found of await repository.findItemsByRef(
      db,
      investigationId,
      itemRefs.slice(start, start + LOOKUP_CHUNK),
    )) {
      const ref = found.external_ref!;
      problems.add(
        items.get(ref)!.line,
        'item_ref',
        `item ${ref} already exists in this investigation (${found.id})`,
        'already_used',
      );
    }
  }

  return { validated: { encoding, rows, columns, width, sites, items, existingSites, markings }, problems };
}

/** Reads the whole file and checks every rule; any problem refuses the file (400 listing them). */
async function validateFile(
  db: Queryable,
  investigationId: string,
  path: string,
  onProgress: ImportProgress | undefined,
  requestedEncoding: CsvEncoding | undefined,
): Promise<Validated> {
  const { validated, problems } = await checkFile(db, investigationId, path, onProgress, requestedEncoding);
  if (problems.total > 0) {
    const sorted = [...problems.list].sort((a, b) => a.line - b.line);
    throw new DomainError(
      'validation_failed',
      `The file has ${problems.total} problem${problems.total === 1 ? '' : 's'}` +
        `${problems.total > sorted.length ? ` (the first ${sorted.length} are listed)` : ''}; nothing was imported.`,
      sorted.map((problem) => ({
        field: `line ${problem.line}${problem.column === null ? '' : ` (${problem.column})`}`,
        message: problem.message,
        ...(problem.code === undefined ? {} : { code: problem.code }),
        ...(problem.params === undefined ? {} : { params: problem.params }),
      })),
    );
  }
  return validated;
}

/**
 * What importing the file would do, without writing anything: the sites it
 * would create and reuse, the items and markings it would create, and every
 * problem (line, column, stable code) that would refuse it. The same checks
 * as {@link importItemsCsv}, run on the same reader.
 *
 * @example
 * const preview = await previewItemsCsv(db, actor, investigationId, 'caches.csv');
 * if (preview.problems_total === 0) await importItemsCsv(db, actor, investigationId, 'caches.csv');
 */
export async function previewItemsCsv(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  path: string,
  options: { encoding?: CsvEncoding | undefined } = {},
): Promise<ImportPreview> {
  await requireRole(db, actor, investigationId, 'investigator');
  let checked: Awaited<ReturnType<typeof checkFile>>;
  try {
    checked = await checkFile(db, investigationId, path, undefined, options.encoding);
  } catch (error) {
    // An unclear encoding refuses the whole file before any row is read: one problem at its first bad byte.
    const problem = error instanceof DomainError ? error.fields[0] : undefined;
    if (problem?.code !== 'encoding_invalid') throw error;
    const line = Number(problem.params?.line ?? 1);
    return {
      encoding: null,
      rows: 0,
      sites_created: 0,
      sites_reused: 0,
      items_created: 0,
      markings_created: 0,
      sites: [],
      problems_total: 1,
      problems: [
        { line, column: null, message: problem.message, code: 'encoding_invalid', params: problem.params ?? {} },
      ],
    };
  }
  const { validated, problems } = checked;
  const itemsBySite = new Map<string, number>();
  for (const item of validated.items.values()) {
    itemsBySite.set(item.siteRef, (itemsBySite.get(item.siteRef) ?? 0) + 1);
  }
  const sites = [...validated.sites.entries()].slice(0, PREVIEW_SITES).map(([ref, site]) => ({
    site_ref: ref,
    name: site.name,
    site_type: site.type,
    reused: validated.existingSites.has(ref),
    items: itemsBySite.get(ref) ?? 0,
  }));
  return {
    encoding: validated.encoding,
    rows: validated.rows,
    sites_created: validated.sites.size - validated.existingSites.size,
    sites_reused: validated.existingSites.size,
    items_created: validated.items.size,
    markings_created: validated.markings,
    sites,
    problems_total: problems.total,
    problems: [...problems.list]
      .sort((a, b) => a.line - b.line)
      .map((problem) => ({
        line: problem.line,
        column: problem.column,
        message: problem.message,
        code: problem.code ?? GENERIC_FIELD_CODE,
        params: problem.params ?? {},
      })),
  };
}

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
  rows: readonly ParsedRow[],
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

type ImportedTable = 'sites' | 'items' | 'markings';

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
  const sites = await repository.insertSites(trx, stamp, prepared.sites, models.sites.needsReadBack);
  const items = await repository.insertItems(trx, stamp, prepared.items, models.items.needsReadBack);
  const markings = await repository.insertMarkings(trx, stamp, prepared.markings, models.markings.needsReadBack);
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
 * Imports items and their markings from a CSV file into an investigation.
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
  } = {},
): Promise<ImportResult> {
  const { onProgress, batchSize = BATCH_ROWS } = options;
  const started = performance.now();
  await requireRole(db, actor, investigationId, 'investigator');
  const validated = await validateFile(db, investigationId, path, onProgress, options.encoding);
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
    const flush = async (rows: readonly ParsedRow[]) => {
      const prepared = await prepareBatch(rows, validated, siteIds, itemIds, nextId, derive);
      writes.push(later(writeBatch(trx, stamp, models, prepared)));
      if (writes.length > WRITES_QUEUED) audit(await writes.shift()!);
      // Bounds the batches held in memory, and stops at the first failure.
      if (auditsPending > AUDITS_QUEUED) await auditing;
    };
    try {
      const reader = new FieldReader(validated.columns, new Problems());
      let batch: ParsedRow[] = [];
      for await (const chunk of dataRows(path, validated.encoding)) {
        if ('header' in chunk) continue;
        for (const record of chunk.records) {
          // Validated already; parsing again costs less than keeping every row in memory.
          const row = parseRow(record, reader, validated.width);
          if (row === undefined) throw new Error(`line ${record.line} changed since it was validated`);
          batch.push(row);
          // Let the database's answers in, so the batch in flight moves on while this one is read.
          if (batch.length % 500 === 0) await yieldToEventLoop();
          if (batch.length >= batchSize) {
            await flush(batch);
            batch = [];
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
  onProgress?.('analyse', 0, 1);
  await repository.flushGinPendingLists(db, importedTables);
  await analyzeTables(db, importedTables);
  onProgress?.('analyse', 1, 1);
  return { ...result, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

/** The tables an item import writes (markings' search keys through their trigger). */
const importedTables = ['sites', 'items', 'markings', 'marking_search_keys'] as const;
