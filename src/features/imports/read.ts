/**
 * The read side of the tabular import (docs/markings.md, "Bulk import"): CSV (comma or semicolon, one encoding
 * per file) or an XLSX sheet, the header mapped to fields (mapping.ts), every row parsed and checked (rows.ts),
 * the rules across rows, every problem listed with its line, and the dry run
 * (preview). Nothing here writes; service.ts loads what {@link validateFile} accepted.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError, GENERIC_FIELD_CODE } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import {
  CsvEncodingError,
  CsvSyntaxError,
  decideCsvEncoding,
  readCsvRecords,
  scanEncoding,
  type CsvEncoding,
} from './csv.js';
import { type ColumnAssignment } from './mapping.js';
import * as repository from './repository.js';
import {
  FieldReader,
  parseRow,
  Problems,
  readHeader,
  type Columns,
  type ItemFields,
  type LoadRow,
  type SiteFields,
} from './rows.js';
import { type ImportMapping, type ImportPreview } from './schema.js';
import { isZipFile, readSheetRecords, type SheetRecord } from './xlsx.js';

export type TabularFormat = 'csv' | 'xlsx';

const PREVIEW_SITES = 200;
const LOOKUP_CHUNK = 50_000;

/** What the import reports while it works (rows validated, then rows loaded). */
export type ImportProgress = (phase: 'validate' | 'load' | 'analyse', done: number, total: number | undefined) => void;

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
