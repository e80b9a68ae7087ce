/**
 * The shape shared by every table armtrace exports (sites, items, markings, the hazard list) and the CSV
 * writer. A table is a list of columns and a stream of rows; each writer (CSV here, XLSX in xlsx.ts, GeoJSON
 * and KML in geo.ts) turns the same columns into its own cells, so a value reads the same in every format.
 *
 * Controlled values are written as two columns: the code (`category`, stable, what armtrace and its import
 * read) and its label in the chosen language (`category_label`, from the one catalogue src/i18n). Column
 * names themselves are the stable snake_case codes in every language, so a file exported in Arabic still
 * maps onto the same fields as one exported in English.
 */
import type { ExportedTable } from './repository.js';
import { scriptName, vocabularyLabel, type Locale } from '../../i18n/messages.js';

export type ExportLanguage = Locale;
export type Cell = string | number | null;

export interface ExportColumn<Row> {
  /** Stable snake_case name: the CSV/XLSX header and the GeoJSON/KML property name. */
  name: string;
  value: (row: Row) => Cell;
  /**
   * The catalogue group of a controlled value (`category` for `category.mortar_bomb`): the column is written
   * as the code plus a `<name>_label` column with the label in the export's language.
   */
  vocabulary?: string;
  /**
   * The stored column the value comes from (`sites.recovered_by`), which an export profile keeps, generalises or
   * drops by its class in personal-data.ts; absent for values made here (ids, counts), which every profile keeps.
   */
  from?: `${ExportedTable}.${string}`;
}

export interface ExportTable<Row> {
  /** The sheet name in an XLSX workbook. */
  name: string;
  columns: readonly ExportColumn<Row>[];
  rows: AsyncIterable<Row>;
}

/**
 * A table with its row type forgotten, to put tables of different rows in one list (the sheets of a workbook):
 * each row only ever goes back to its own table's columns.
 *
 * @example
 * writeXlsx([anyTable(sitesTable(db, id)), anyTable(itemsTable(db, id))], 'en', output, counter);
 */
export function anyTable<Row>(table: ExportTable<Row>): ExportTable<unknown> {
  return table as unknown as ExportTable<unknown>;
}

/** One output column after controlled values have been split into code and label. */
export interface OutputColumn<Row> {
  name: string;
  value: (row: Row) => Cell;
}

/**
 * The columns as written: each controlled column becomes its code column followed by its label column.
 *
 * @example
 * outputColumns([{ name: 'category', value: (row) => row.category, vocabulary: 'category' }], 'ar')
 * // → category ('mortar_bomb'), category_label ('قذيفة هاون')
 */
export function outputColumns<Row>(columns: readonly ExportColumn<Row>[], lang: ExportLanguage): OutputColumn<Row>[] {
  return columns.flatMap((column) => {
    const vocabulary = column.vocabulary;
    if (vocabulary === undefined) return [{ name: column.name, value: column.value }];
    return [
      { name: column.name, value: column.value },
      {
        name: `${column.name}_label`,
        value: (row: Row) => {
          const code = column.value(row);
          if (code === null || code === '') return null;
          if (vocabulary === 'script') return scriptName(lang, String(code));
          return vocabularyLabel(lang, vocabulary, String(code));
        },
      },
    ];
  });
}

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"), tab and CR included. */
const formulaStart = /^[=+\-@\t\r]/;

/**
 * Whether a text cell would be taken for a formula by Excel, LibreOffice or Google Sheets when opened.
 *
 * @example
 * looksLikeFormula('=HYPERLINK("http://x")') // true
 */
export function looksLikeFormula(text: string): boolean {
  return formulaStart.test(text);
}

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma, semicolon or line break, quotes doubled.
 * A text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is written with a
 * leading apostrophe, which spreadsheets read as "this is text" and do not show; numbers are written as
 * numbers. Only the exported cell is prefixed: the stored value is never changed, and the JSON export and
 * the XLSX (whose cells are typed as text) carry it exactly.
 *
 * @example
 * csvField('=1+1') // → "'=1+1"
 * csvField('a "b", c') // → '"a ""b"", c"'
 */
export function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = looksLikeFormula(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

/** The UTF-8 byte order mark: without it Excel reads a UTF-8 CSV as the local code page and garbles Arabic. */
export const utf8Bom = '\uFEFF';

/**
 * A table as CSV text chunks: the byte order mark and header row first, then one record per row as it
 * arrives, so an investigation of any size is written without holding it in memory.
 *
 * @example
 * for await (const chunk of csvChunks(table, 'fr', counter)) output.write(chunk);
 */
export async function* csvChunks<Row>(
  table: ExportTable<Row>,
  lang: ExportLanguage,
  counter: { rows: number },
): AsyncGenerator<string> {
  const columns = outputColumns(table.columns, lang);
  yield utf8Bom + csvRecord(columns.map((column) => column.name));
  let buffered = '';
  for await (const row of table.rows) {
    buffered += csvRecord(columns.map((column) => column.value(row)));
    counter.rows += 1;
    // Chunks of about 64 KB: fewer writes than one per row, bounded memory.
    if (buffered.length >= 65_536) {
      yield buffered;
      buffered = '';
    }
  }
  if (buffered !== '') yield buffered;
}

/** A timestamp as ISO 8601 UTC text; null stays null. */
export function isoTime(value: Date | string | null): string | null {
  if (value === null) return null;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
