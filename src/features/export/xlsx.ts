/**
 * XLSX writer: one worksheet per table, a frozen header row, written with exceljs's streaming workbook writer
 * so rows go out as they are read. Text is always written as a text cell, never as a formula, so a value
 * starting with `=` is shown exactly as stored, with no prefix. Sheets run right to left in an Arabic export.
 */
import type { Writable } from 'node:stream';
import { isRightToLeft } from '../../i18n/messages.js';
import { outputColumns, type ExportLanguage, type ExportTable } from './tabular.js';

/** The OOXML spreadsheet media type. */
export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Writes the tables, in order, as the sheets of one workbook into `output`, and resolves once it is complete.
 *
 * @example
 * await writeXlsx([sitesTable(db, id), itemsTable(db, id)], 'fr', fs.createWriteStream('x.xlsx'), counter);
 */
export async function writeXlsx(
  tables: readonly ExportTable<unknown>[],
  lang: ExportLanguage,
  output: Writable,
  counter: { rows: number },
  profileName = 'internal',
): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'armtrace';
  // The document properties say which export profile made the workbook.
  workbook.subject = `armtrace export profile: ${profileName}`;
  workbook.keywords = `armtrace-profile:${profileName}`;
  for (const table of tables) {
    const columns = outputColumns(table.columns, lang);
    const sheet = workbook.addWorksheet(table.name, {
      views: [{ state: 'frozen', xSplit: 0, ySplit: 1, rightToLeft: isRightToLeft(lang) }],
    });
    sheet.columns = columns.map((column) => ({ header: column.name, key: column.name, width: 18 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of table.rows) {
      // A plain string or number is stored as a text or number cell; exceljs only writes a formula from
      // an explicit { formula } object, so stored text is never evaluated.
      sheet.addRow(columns.map((column) => column.value(row))).commit();
      counter.rows += 1;
    }
    sheet.commit();
  }
  await workbook.commit();
}
