/**
 * Reading a sheet of an XLSX workbook (exceljs) as records, like a CSV file: the first row with a value is the
 * header, each record is numbered by its row, every cell is text exactly as the workbook holds it. A number is
 * written the shortest way that reads back as the same number; a number that cannot be kept exactly as text (more
 * than 15 significant digits, so Excel may already have changed it, or shown padded with zeros) is refused with
 * its cell reference, never rounded; a date becomes an ISO date (YYYY-MM-DD, with the time when it has one).
 */
import fs from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { DomainError } from '../../errors.js';
import type { CsvRecord } from './csv.js';

/** A cell that cannot become text exactly: its index in the record, the code and English text of the problem. */
export interface CellProblem {
  index: number;
  cell: string;
  code: 'cell_number_inexact' | 'cell_value_unreadable';
  message: string;
}

/** A record read from a sheet, with the cells that could not be read exactly. */
export interface SheetRecord extends CsvRecord {
  cellProblems?: CellProblem[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * Whether a file is a ZIP container (an XLSX workbook), from its first bytes.
 *
 * @example
 * if (await isZipFile('items.xlsx')) records = readSheetRecords('items.xlsx', undefined);
 */
export async function isZipFile(path: string): Promise<boolean> {
  const handle = await fs.open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ZIP_MAGIC);
  } finally {
    await handle.close();
  }
}

/** Whether bytes start like a ZIP container (an XLSX workbook). */
export function startsLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).equals(ZIP_MAGIC);
}

function significantDigits(text: string): number {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '');
  return digits.replace(/0+$/, '').length;
}

/** A number as text, or why it cannot be kept exactly. */
function numberText(value: number, numFmt: string | undefined): string | { reason: string } {
  const text = String(value);
  if (!Number.isFinite(value) || /e/i.test(text) || Math.abs(value) >= 1e15 || significantDigits(text) > 15) {
    return {
      reason: `holds the number ${text}, which has more digits than a spreadsheet keeps exactly`,
    };
  }
  // A format of zeros shows 7 as 007: the text people see is not the number's text.
  const padding = /^0+$/.exec(numFmt ?? '');
  if (padding !== null && padding[0].length > text.replace(/^-/, '').length && Number.isInteger(value)) {
    return { reason: `shows ${text} padded with zeros (format ${numFmt}), so its text is not kept` };
  }
  return text;
}

function dateText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}

type CellValue = ExcelJS.CellValue;

/** The text of a cell's value, or the problem it has. */
function valueText(
  value: CellValue,
  numFmt: string | undefined,
): string | { code: CellProblem['code']; reason: string } {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    const text = numberText(value, numFmt);
    return typeof text === 'string' ? text : { code: 'cell_number_inexact', reason: text.reason };
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime())
      ? { code: 'cell_value_unreadable', reason: 'holds an invalid date' }
      : dateText(value);
  }
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('error' in value) return { code: 'cell_value_unreadable', reason: `holds the error ${value.error}` };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) {
      return { code: 'cell_value_unreadable', reason: 'holds a formula whose value was not saved; save it as values' };
    }
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) {
      return {
        code: 'cell_value_unreadable',
        reason: `holds a formula whose value is the error ${String(result.error)}`,
      };
    }
    return valueText(result as CellValue, numFmt);
  }
  if ('text' in value) {
    const text = (value as { text: unknown }).text;
    return typeof text === 'string' ? text : valueText(text as CellValue, numFmt);
  }
  return { code: 'cell_value_unreadable', reason: 'holds a value that is not text, a number or a date' };
}

/** The sheets of a workbook: the named one, else the first. */
async function openSheet(path: string, sheetName: string | undefined): Promise<ExcelJS.Worksheet> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new DomainError('validation_failed', 'The file is not a workbook that can be read; nothing was imported.', [
      {
        field: 'file',
        message: `not a readable XLSX workbook (${(error as Error).message})`,
        code: 'file_not_workbook',
      },
    ]);
  }
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (sheet === undefined) {
    const names = workbook.worksheets.map((found) => found.name).join(', ');
    throw new DomainError('validation_failed', `The workbook has no sheet ${sheetName ?? ''}; nothing was imported.`, [
      {
        field: 'sheet',
        message: `no sheet named "${sheetName ?? ''}"; the sheets are ${names}`,
        code: 'sheet_not_found',
        params: { sheet: sheetName ?? '', sheets: names },
      },
    ]);
  }
  return sheet;
}

/**
 * The rows of one sheet as records (the row number is the line), in batches like the CSV reader; the first
 * row with a value is the header. Cells past the header's last column count as fields, so a row that fills
 * them is refused for its field count, as in a CSV file.
 *
 * @example
 * for await (const records of readSheetRecords('items.xlsx', 'Inventaire')) console.log(records.length);
 */
export async function* readSheetRecords(path: string, sheetName: string | undefined): AsyncGenerator<SheetRecord[]> {
  const sheet = await openSheet(path, sheetName);
  let width: number | undefined;
  let batch: SheetRecord[] = [];
  for (let rowNumber = 1; rowNumber <= sheet.rowCount; rowNumber += 1) {
    const row = sheet.getRow(rowNumber);
    if (!row.hasValues) continue;
    const last = row.cellCount;
    const fields: string[] = [];
    const cellProblems: CellProblem[] = [];
    let lastValue = 0;
    for (let column = 1; column <= last; column += 1) {
      const cell = row.getCell(column);
      const source = cell.isMerged ? cell.master : cell;
      const text = valueText(source.value, source.numFmt);
      if (typeof text === 'string') {
        fields.push(text);
        if (text !== '') lastValue = column;
      } else {
        fields.push('');
        lastValue = column;
        cellProblems.push({
          index: column - 1,
          cell: cell.address,
          code: text.code,
          message: `cell ${cell.address} ${text.reason}`,
        });
      }
    }
    width ??= lastValue;
    const length = Math.max(width, lastValue);
    while (fields.length < length) fields.push('');
    fields.length = length;
    batch.push({ line: rowNumber, fields, ...(cellProblems.length > 0 ? { cellProblems } : {}) });
    if (batch.length >= 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
