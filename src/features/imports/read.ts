/**
 * The read side of the tabular import (docs/markings.md, "Bulk import"): CSV (comma or semicolon, one encoding
 * per file) or an XLSX sheet, the header mapped to fields (mapping.ts), every row parsed and checked with the
 * shared parsers (coordinates, numbers, controlled values), every problem listed with its line, and the dry run
 * (preview). Nothing here writes; service.ts loads what {@link validateFile} accepted.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError, GENERIC_FIELD_CODE, type FieldProblemParams } from '../../errors.js';
import { parseCoordinate, type CoordinateAxis } from '../../parsing/coordinates.js';
import { readNumber, type NumberProblemCode, type NumberRules } from '../../parsing/numbers.js';
import { describeUnstorable, findUnstorableCharacter } from '../../parsing/storable-text.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { describeCoordinateProblem } from '../sites/schema.js';
import {
  CsvEncodingError,
  CsvSyntaxError,
  decideCsvEncoding,
  readCsvRecords,
  scanEncoding,
  type CsvEncoding,
} from './csv.js';
import { assignColumns, suggestFields, type ColumnAssignment } from './mapping.js';
import * as repository from './repository.js';
import {
  importColumns,
  requiredImportColumns,
  type ImportColumn,
  type ImportMapping,
  type ImportPreview,
  type ImportProblem,
} from './schema.js';
import { importVocabularies, type VocabularyColumn } from './vocabularies.js';
import { isZipFile, readSheetRecords, type SheetRecord } from './xlsx.js';

export type TabularFormat = 'csv' | 'xlsx';

const PROBLEMS_SHOWN = 100;
const PREVIEW_SITES = 200;
const LOOKUP_CHUNK = 50_000;
/** Lines listed in the one problem of an unknown value; the count says how many there are in all. */
const LINES_LISTED = 20;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface SiteFields {
  line: number;
  name: string | null;
  type: string | null;
  latitude: number | null;
  longitude: number | null;
  recoveredOn: string | null;
}

export interface ItemFields {
  line: number;
  siteRef: string;
  category: string;
  model: string | null;
  quantity: number | null;
}

export interface ParsedRow {
  line: number;
  siteRef: string;
  site: Omit<SiteFields, 'line'>;
  itemRef: string;
  item: Omit<ItemFields, 'line' | 'siteRef'>;
  marking: { kind: string; text: string; position: string | null } | null;
}

export type Columns = Partial<Record<ImportColumn, number>>;

/** What the import reports while it works (rows validated, then rows loaded). */
export type ImportProgress = (phase: 'validate' | 'load' | 'analyse', done: number, total: number | undefined) => void;

/** One problem of the file, with the stable code and parameters of the field problem it becomes. */
interface CodedImportProblem extends ImportProblem {
  code?: string;
  params?: FieldProblemParams;
}

/** What the reader is told about the file beyond its bytes. */
export interface ReadOptions {
  /** The file's encoding as the user names it (CSV); decided from the bytes when not given. */
  encoding?: CsvEncoding | undefined;
  /** Header → field, confirmed or changed by the user; headers not in it are recognised by name. */
  mapping?: ImportMapping | undefined;
  /** The sheet of a workbook to read; the first when not given. */
  sheet?: string | undefined;
  /**
   * Keep what the load needs of each row, for files of at most this many rows (the importer passes
   * {@link ROWS_KEPT}), so that the load does not read and parse the file a second time; none when not given.
   */
  keepRows?: number | undefined;
}

/** Rows whose load data the validation keeps at most (about 150 bytes each); a larger file is read again. */
export const ROWS_KEPT = 2_000_000;

/** The problems of a file; each distinct unknown controlled value becomes one problem listing its lines. */
export class Problems {
  readonly list: CodedImportProblem[] = [];
  total = 0;
  /** Every problem noted, including each line of an unknown value: a row is refused when this grows. */
  noted = 0;
  private readonly unknownValues = new Map<string, { column: VocabularyColumn; value: string; lines: number[] }>();

  add(line: number, column: string | null, message: string, code?: string, params?: FieldProblemParams): void {
    this.noted += 1;
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

  /** A value of a controlled column nothing in its vocabulary matched; listed once per value, at the end. */
  unknownValue(line: number, column: VocabularyColumn, value: string): void {
    this.noted += 1;
    const key = `${column}\u0000${value}`;
    const known = this.unknownValues.get(key);
    if (known === undefined) this.unknownValues.set(key, { column, value, lines: [line] });
    else known.lines.push(line);
  }

  /** Adds one problem per distinct unknown value, at its first line, with its lines and the closest values. */
  finish(): void {
    const found: CodedImportProblem[] = [];
    for (const { column, value, lines } of this.unknownValues.values()) {
      const options = importVocabularies[column].suggest(value, 3);
      const listed = lines.slice(0, LINES_LISTED).join(', ') + (lines.length > LINES_LISTED ? ', …' : '');
      this.total += 1;
      found.push({
        line: lines[0]!,
        column,
        message:
          `"${value}" is not a known ${column} (${lines.length === 1 ? 'line' : `${lines.length} lines:`} ${listed}); ` +
          `the closest are ${options.join(', ')}`,
        code: 'value_unknown',
        params: { value, lines: listed, count: lines.length, options: options.join('|') },
      });
    }
    this.unknownValues.clear();
    // Listed first: one problem for a value that recurs on many lines says more than the first 100 lines.
    this.list.unshift(...found);
    this.list.length = Math.min(this.list.length, PROBLEMS_SHOWN);
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
function checkStorable(record: SheetRecord, names: readonly string[], problems: Problems): void {
  for (const cell of record.cellProblems ?? []) {
    problems.add(record.line, names[cell.index] ?? cell.cell, cell.message, cell.code, { cell: cell.cell });
  }
  record.fields.forEach((field, index) => {
    const found = findUnstorableCharacter(field);
    if (found === null) return;
    problems.add(record.line, names[index] ?? `column ${index + 1}`, describeUnstorable(found), 'text_not_storable', {
      character: found.character,
      position: found.index + 1,
    });
  });
}

/**
 * The columns of the header: each header's field, from the user's mapping or recognised from its name (en, fr, ar,
 * synonyms). A header that names no field and that the mapping does not leave out is refused: its column would
 * otherwise be lost without anyone deciding so.
 */
export function readHeader(
  record: SheetRecord,
  problems: Problems,
  mapping: ImportMapping | undefined,
): { columns: Columns; assignments: ColumnAssignment[] } {
  const columns: Columns = {};
  checkStorable(record, [], problems);
  const assignments = assignColumns(record.fields, mapping);
  assignments.forEach(({ header, field, source }, index) => {
    const name = header.trim();
    if (name === '' && field === null) return;
    if (field === null) {
      if (source === 'mapping') return;
      problems.add(
        record.line,
        name,
        `unknown column; map it to a field or leave it out (the fields are ${importColumns.join(', ')}; closest: ` +
          `${suggestFields(name).join(', ')})`,
        'column_unknown',
        { columns: importColumns.join(', '), options: suggestFields(name).join('|') },
      );
    } else if (columns[field] !== undefined) {
      problems.add(record.line, name, `the column ${field} appears twice`, 'column_repeated', { field });
    } else {
      columns[field] = index;
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
  return { columns, assignments };
}

/** Reads the fields of one data row at a time by column name, noting each problem with its line. */
/** Distinct parsed cells remembered per column (see FieldReader.parsed). */
const PARSED_REMEMBERED = 20_000;

export class FieldReader {
  private record: SheetRecord = { line: 0, fields: [] };
  /** The column name at each position of a row. */
  readonly names: string[] = [];

  constructor(
    private readonly columns: Columns,
    readonly problems: Problems,
  ) {
    for (const [name, index] of Object.entries(columns)) this.names[index] = name;
  }

  start(record: SheetRecord): void {
    this.record = record;
  }

  // Cells already parsed without a problem, per column: a site's or an item's cells repeat on each of its rows,
  // and on a large file parsing the same coordinates, numbers and labels again was most of the validation's
  // time. Bounded: emptied when full rather than left to grow with the file.
  private readonly parsed = new Map<ImportColumn, Map<string, number | string>>();

  private remembered(column: ImportColumn, found: string): number | string | undefined {
    return this.parsed.get(column)?.get(found);
  }

  private remember(column: ImportColumn, found: string, value: number | string): void {
    let known = this.parsed.get(column);
    if (known === undefined) this.parsed.set(column, (known = new Map<string, number | string>()));
    else if (known.size >= PARSED_REMEMBERED) known.clear();
    known.set(found, value);
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

  /**
   * A value of a controlled vocabulary, as its code, its label in English, French or Arabic, or a synonym
   * (src/parsing/controlled-values.ts); the code it names. An unknown value is noted once per distinct value.
   */
  oneOf(column: VocabularyColumn, required: boolean): string | null {
    const found = this.text(column, 100, required, true);
    if (found === null) return null;
    const known = this.remembered(column, found);
    if (known !== undefined) return known as string;
    const code = importVocabularies[column].match(found);
    if (code === null) this.problems.unknownValue(this.line, column, found);
    else this.remember(column, found, code);
    return code ?? found;
  }

  /** A number as typed (digits of any script, `.`, `,` or `٫`), read by the shared number reader. */
  number(column: ImportColumn, rules: Required<NumberRules>): number | null {
    const found = this.value(column);
    if (found === '') return null;
    const known = this.remembered(column, found);
    if (known !== undefined) return known as number;
    const result = readNumber(found, rules);
    if (result.ok) {
      this.remember(column, found, result.value);
      return result.value;
    }
    const message = `"${found}" ${describeNumberProblem(result.code, rules)}`;
    this.problems.add(this.line, column, message, result.code, result.params);
    return null;
  }

  /** A latitude or longitude in any spelling the one coordinate parser reads. */
  coordinate(column: 'lat' | 'lon', axis: CoordinateAxis): number | null {
    const found = this.value(column);
    if (found === '') return null;
    const known = this.remembered(column, found);
    if (known !== undefined) return known as number;
    const result = parseCoordinate(found, axis);
    if (result.ok) {
      this.remember(column, found, result.value);
      return result.value;
    }
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
export function parseRow(record: SheetRecord, reader: FieldReader, width: number): ParsedRow | undefined {
  const problems = reader.problems;
  if (record.fields.length !== width) {
    problems.add(record.line, null, `has ${record.fields.length} fields where the header has ${width}`, 'field_count', {
      found: record.fields.length,
      expected: width,
    });
    return undefined;
  }
  reader.start(record);
  const before = problems.noted;
  checkStorable(record, reader.names, problems);
  // A cell that could not be read as written has no text to check further; its problem refuses the row.
  if (record.cellProblems !== undefined) return undefined;
  const siteRef = reader.text('site_ref', 100, true);
  const latitude = reader.coordinate('lat', 'latitude');
  const longitude = reader.coordinate('lon', 'longitude');
  if ((latitude === null) !== (longitude === null) && problems.noted === before) {
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
    type: reader.oneOf('site_type', false),
    latitude,
    longitude,
    recoveredOn,
  };
  const itemRef = reader.text('item_ref', 100, true);
  const item = {
    category: reader.oneOf('category', true) ?? '',
    model: reader.text('model', 200, false),
    quantity: reader.number('quantity', { whole: true, minimum: 1, maximum: 100_000_000 }),
  };
  const markingText = reader.text('marking_text', 500, false);
  const markingKind = reader.oneOf('marking_kind', markingText !== null);
  if (markingText === null && markingKind !== null) {
    problems.add(record.line, 'marking_text', 'is empty although marking_kind is given', 'required');
  }
  const position = reader.text('marking_position', 200, false);
  if (problems.noted !== before || siteRef === null || itemRef === null) return undefined;
  return {
    line: record.line,
    siteRef,
    site,
    itemRef,
    item,
    marking: markingText === null || markingKind === null ? null : { kind: markingKind, text: markingText, position },
  };
}

/** What the load reads of a row again: its references and its marking (its site and item come from validation). */
export type LoadRow = Pick<ParsedRow, 'line' | 'siteRef' | 'itemRef' | 'marking'>;

/**
 * Reads a row the validation accepted, for the load: only the cells the load takes from the row itself, with the
 * same checks as {@link parseRow}; undefined if any fails (the file changed since it was validated).
 */
export function parseLoadRow(record: SheetRecord, reader: FieldReader, width: number): LoadRow | undefined {
  if (record.fields.length !== width || record.cellProblems !== undefined) return undefined;
  const problems = reader.problems;
  reader.start(record);
  const before = problems.noted;
  checkStorable(record, reader.names, problems);
  const siteRef = reader.text('site_ref', 100, true);
  const itemRef = reader.text('item_ref', 100, true);
  const markingText = reader.text('marking_text', 500, false);
  const markingKind = reader.oneOf('marking_kind', markingText !== null);
  const position = reader.text('marking_position', 200, false);
  if (problems.noted !== before || siteRef === null || itemRef === null) return undefined;
  return {
    line: record.line,
    siteRef,
    itemRef,
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

export interface Validated {
  format: TabularFormat;
  /** The sheet read, for a workbook (undefined: the first). */
  sheet: string | undefined;
  assignments: ColumnAssignment[];
  encoding: CsvEncoding;
  rows: number;
  columns: Columns;
  width: number;
  sites: Map<string, SiteFields>;
  items: Map<string, ItemFields>;
  existingSites: Map<string, string>;
  markings: number;
  /** What the load needs of every row, in file order, when kept (`keepRows`); the load empties it as it goes. */
  loadRows: (LoadRow | undefined)[] | undefined;
}

/**
 * The header, then the data rows of a file in batches: a workbook's sheet (`sheet`, else the first) when the
 * file is a ZIP container, else CSV in `encoding`. Blank lines and rows are skipped.
 */
export async function* dataRows(
  path: string,
  encoding: CsvEncoding,
  sheet?: string,
): AsyncGenerator<{ header: SheetRecord } | { records: SheetRecord[] }> {
  let header: SheetRecord | undefined;
  const source: AsyncGenerator<SheetRecord[]> = (await isZipFile(path))
    ? readSheetRecords(path, sheet)
    : readCsvRecords(path, encoding);
  for await (const batch of source) {
    let records = batch;
    // Blank lines are allowed anywhere, before the header too.
    records = records.filter(
      (record) => record.cellProblems !== undefined || !record.fields.every((field) => field.trim() === ''),
    );
    if (header === undefined && records.length > 0) {
      header = records[0]!;
      records = records.slice(1);
      yield { header };
    }
    if (records.length > 0) yield { records };
  }
}

/** The one encoding of the whole file, or a refusal naming the line and column of its first bad byte. */
async function fileEncoding(path: string, requested: CsvEncoding | undefined): Promise<CsvEncoding> {
  // A workbook's text is XML in UTF-8, whatever the file's bytes look like.
  if (await isZipFile(path)) return 'utf-8';
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
  options: ReadOptions,
): Promise<{ validated: Validated; problems: Problems }> {
  const format: TabularFormat = (await isZipFile(path)) ? 'xlsx' : 'csv';
  const encoding = await fileEncoding(path, options.encoding);
  const problems = new Problems();
  let assignments: ColumnAssignment[] = [];
  const sites = new Map<string, SiteFields>();
  const items = new Map<string, ItemFields>();
  let columns: Columns = {};
  let reader = new FieldReader(columns, problems);
  let width = 0;
  let rows = 0;
  let markings = 0;
  let headerSeen = false;
  const rowsKept = options.keepRows ?? 0;
  let loadRows: LoadRow[] | undefined = rowsKept > 0 ? [] : undefined;
  try {
    for await (const chunk of dataRows(path, encoding, options.sheet)) {
      if ('header' in chunk) {
        headerSeen = true;
        ({ columns, assignments } = readHeader(chunk.header, problems, options.mapping));
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
        if (loadRows !== undefined) {
          if (loadRows.length >= rowsKept) loadRows = undefined;
          else loadRows.push({ line: row.line, siteRef: row.siteRef, itemRef: row.itemRef, marking: row.marking });
        }
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
  problems.finish();
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

  return {
    validated: {
      format,
      sheet: options.sheet,
      assignments,
      encoding,
      rows,
      columns,
      width,
      sites,
      items,
      existingSites,
      markings,
      loadRows: problems.total === 0 ? loadRows : undefined,
    },
    problems,
  };
}

/** Reads the whole file and checks every rule; any problem refuses the file (400 listing them). */
export async function validateFile(
  db: Queryable,
  investigationId: string,
  path: string,
  onProgress: ImportProgress | undefined,
  options: ReadOptions,
): Promise<Validated> {
  const { validated, problems } = await checkFile(db, investigationId, path, onProgress, options);
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
  options: ReadOptions = {},
): Promise<ImportPreview> {
  await requireRole(db, actor, investigationId, 'investigator');
  let checked: Awaited<ReturnType<typeof checkFile>>;
  try {
    checked = await checkFile(db, investigationId, path, undefined, options);
  } catch (error) {
    // An unclear encoding refuses the whole file before any row is read: one problem at its first bad byte.
    const problem = error instanceof DomainError ? error.fields[0] : undefined;
    if (problem?.code !== 'encoding_invalid') throw error;
    const line = Number(problem.params?.line ?? 1);
    return {
      format: 'csv',
      encoding: null,
      columns: [],
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
    format: validated.format,
    encoding: validated.encoding,
    columns: validated.assignments,
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
