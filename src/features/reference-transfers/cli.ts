import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { createProgress, printJson, printTable } from '../../cli/output.js';
import type { ReferenceTransfer } from './schema.js';
import { transferSearchQuerySchema } from './schema.js';
import * as service from './service.js';

function uncertain(value: number | null, flagged: boolean): string {
  return `${value ?? ''}${flagged ? '?' : ''}`;
}

const transferColumns = [
  { header: 'SUPPLIER', value: (row: ReferenceTransfer) => row.supplier },
  { header: 'RECIPIENT', value: (row: ReferenceTransfer) => row.recipient },
  { header: 'DESIGNATION', value: (row: ReferenceTransfer) => row.designation },
  { header: 'ORDERED', value: (row: ReferenceTransfer) => uncertain(row.order_year, row.order_year_uncertain) },
  { header: 'NUMBER', value: (row: ReferenceTransfer) => uncertain(row.number_ordered, row.number_ordered_uncertain) },
  {
    header: 'DELIVERED',
    value: (row: ReferenceTransfer) => uncertain(row.number_delivered, row.number_delivered_uncertain),
  },
  { header: 'DELIVERY YEARS', value: (row: ReferenceTransfer) => row.delivery_years.join(', ') },
];

export function registerReferenceTransferCommands(program: Command): void {
  const reference = program
    .command('reference')
    .description('Reference data on recorded arms transfers (SIPRI Arms Transfers Database)');

  reference
    .command('import-sipri <file>')
    .description('Import a SIPRI trade-register CSV export (administrators); the whole file is checked first')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }, command: Command) => {
      const bytes = fs.readFileSync(file);
      await withSession(command, async ({ db, actor }) => {
        // The bar appears once the whole file has been checked and the deals are counted.
        let progress: ReturnType<typeof createProgress> | undefined;
        const summary = await service.importSipriTradeRegister(
          db,
          actor,
          { fileName: path.basename(file), bytes },
          (done, total) => {
            progress ??= createProgress('Importing deals', total);
            progress.update(done);
          },
        );
        progress?.finish();
        if (options.json === true) return printJson(summary);
        process.stdout.write(
          `Imported ${summary.import.row_count} deals from ${summary.import.file_name} ` +
            `(${summary.import.encoding}, sha256 ${summary.import.sha256.slice(0, 12)}…) in ${summary.seconds.toFixed(1)} s.\n` +
            `Uncertain ("?"): year of order ${summary.uncertain.order_year}, number ordered ${summary.uncertain.number_ordered}, ` +
            `number delivered ${summary.uncertain.number_delivered}.\n` +
            (summary.joined_lines.length === 0
              ? ''
              : `Records continued on the next line at line(s) ${summary.joined_lines.join(', ')}.\n`),
        );
      });
    });

  reference
    .command('leads')
    .description('Recorded transfers of the designation an item carries (or of --designation): leads for tracing')
    .option('--item <id>', 'item id: its model and model markings are looked up')
    .option('--designation <text>', 'a designation typed by hand, e.g. "BM-21"')
    .option('--json', 'print JSON')
    .action(async (options: { item?: string; designation?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        if (options.item !== undefined) {
          const result = await service.getTransferLeads(db, actor, options.item);
          if (options.json === true) return printJson(result);
          if (result.import === null) {
            process.stdout.write(
              'No reference data yet: an administrator imports it with `armtrace reference import-sipri FILE`.\n',
            );
            return;
          }
          process.stdout.write(`Looked up: ${result.searched.join(' | ') || '(the item has no model recorded)'}\n`);
          printTable(result.leads, transferColumns, 'No recorded transfer of this designation.');
          if (result.suppliers.length > 0) {
            process.stdout.write('\nBy supplier:\n');
            printTable(
              result.suppliers,
              [
                { header: 'SUPPLIER', value: (row) => row.supplier },
                { header: 'DEALS', value: (row) => row.deals },
                { header: 'DELIVERED', value: (row) => row.number_delivered },
                { header: 'YEARS', value: (row) => `${row.first_year ?? ''}–${row.last_year ?? ''}` },
                { header: 'RECIPIENTS', value: (row) => row.recipients.join(', ') },
              ],
              '',
            );
          }
          return;
        }
        const query = transferSearchQuerySchema.parse({ designation: options.designation });
        const result = await service.searchReferenceTransfers(db, actor, query);
        if (options.json === true) return printJson(result);
        printTable(result.items, transferColumns, 'No recorded transfer of this designation.');
      });
    });

  reference
    .command('imports')
    .description('List the reference files imported, newest first')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db }) => {
        const imports = await service.listReferenceImports(db);
        if (options.json === true) return printJson(imports);
        printTable(
          imports.items,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'FILE', value: (row) => row.file_name },
            { header: 'DEALS', value: (row) => row.row_count },
            { header: 'IMPORTED', value: (row) => row.created_at },
            { header: 'SHA256', value: (row) => row.sha256.slice(0, 16) },
          ],
          'No reference data imported. An administrator imports it with `armtrace reference import-sipri FILE`.',
        );
      });
    });
}
