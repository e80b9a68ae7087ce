/**
 * One row of a tabular import at a time (docs/markings.md, "Bulk import"): the header mapped to fields, each
 * cell read by column name with the shared parsers (coordinates, numbers, controlled values), each problem noted
 * with its line. read.ts walks the file and applies the rules across rows.
 */
import type { FieldProblemParams } from '../../errors.js';
import { parseCoordinate, type CoordinateAxis } from '../../parsing/coordinates.js';
import { readNumber, type NumberProblemCode, type NumberRules } from '../../parsing/numbers.js';
import { describeUnstorable, findUnstorableCharacter } from '../../parsing/storable-text.js';
import { describeCoordinateProblem } from '../sites/schema.js';
import { assignColumns, suggestFields, type ColumnAssignment } from './mapping.js';
import {
  importColumns,
  requiredImportColumns,
  type ImportColumn,
  type ImportMapping,
  type ImportProblem,
} from './schema.js';
import { importVocabularies, type VocabularyColumn } from './vocabularies.js';
import type { SheetRecord } from './xlsx.js';

const PROBLEMS_SHOWN = 100;
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

/** One problem of the file, with the stable code and parameters of the field problem it becomes. */
interface CodedImportProblem extends ImportProblem {
  code?: string;
  params?: FieldProblemParams;
}

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
