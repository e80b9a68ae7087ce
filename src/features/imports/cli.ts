import { Option, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { setExitCode } from '../../cli/invocation.js';
import { createProgress, printJson } from '../../cli/output.js';
import { readMappingFile } from './mapping.js';
import { findImportMapping, listImportMappings, saveImportMapping } from './mappings.js';
import type { ImportMapping } from './schema.js';
import { importItemsCsv, previewItemsCsv, type ImportProgress } from './service.js';

export function registerImportCommands(program: Command): void {
  const importCommand = program.command('import').description('Bulk imports from files');

  importCommand
    .command('items <file>')
    .description(
      'Import items and their markings from a CSV file (comma or semicolon) or an XLSX workbook, one row per ' +
        'marking (columns: docs/markings.md; headers in English, French or Arabic are recognised). ' +
        'The whole file is checked first: any bad row refuses it, with its line number, and nothing is written.',
    )
    .option('--map <file>', 'column mapping: JSON {"header": "field" | null} or CSV lines header,field')
    .option('--mapping <name>', 'use the column mapping saved under this name in the investigation')
    .option('--save-mapping <name>', 'save the mapping used (given and recognised) under this name')
    .option('--sheet <name>', 'the sheet of a workbook to read (default: the first)')
    .option('--dry-run', 'only check the file and print what would be created and reused; nothing is written')
    .requiredOption('--investigation <id>', 'investigation to import into')
    .addOption(
      new Option(
        '--encoding <encoding>',
        'the file is in this encoding (default: UTF-8; a file with no UTF-8 text and bytes that are not UTF-8 ' +
          'is read as ISO-8859-1 (as Windows-1252); a file that mixes them is refused)',
      ).choices(['utf-8', 'iso-8859-1']),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string,
        options: {
          investigation: string;
          json?: boolean;
          encoding?: 'utf-8' | 'iso-8859-1';
          map?: string;
          mapping?: string;
          saveMapping?: string;
          sheet?: string;
          dryRun?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          let mapping: ImportMapping | undefined =
            options.mapping === undefined
              ? undefined
              : await findImportMapping(db, actor, options.investigation, options.mapping);
          if (options.map !== undefined) mapping = { ...mapping, ...(await readMappingFile(options.map)) };
          const reading = { encoding: options.encoding, mapping, sheet: options.sheet };
          if (options.dryRun === true || options.saveMapping !== undefined) {
            const preview = await previewItemsCsv(db, actor, options.investigation, file, reading);
            if (options.saveMapping !== undefined) {
              const used: ImportMapping = {};
              // A column nobody mapped stays unmapped, so that a later file refuses it rather than leave it out.
              for (const column of preview.columns) if (column.source !== 'none') used[column.header] = column.field;
              await saveImportMapping(db, actor, options.investigation, { name: options.saveMapping, mapping: used });
              process.stderr.write(`Saved the column mapping as "${options.saveMapping}".\n`);
            }
            if (options.dryRun === true) {
              if (options.json === true) return printJson(preview);
              for (const column of preview.columns) {
                process.stdout.write(`  ${column.header} → ${column.field ?? '(left out)'} (${column.source})\n`);
              }
              for (const problem of preview.problems) {
                process.stdout.write(
                  `line ${problem.line}${problem.column === null ? '' : ` (${problem.column})`}: ${problem.message}\n`,
                );
              }
              process.stdout.write(
                `${preview.problems_total === 0 ? 'Would import' : `${preview.problems_total} problems; would refuse`}: ` +
                  `${preview.markings_created} markings on ${preview.items_created} items at ` +
                  `${preview.sites_created} new and ${preview.sites_reused} existing sites ` +
                  `(${preview.rows} rows, ${preview.format}${preview.encoding === null ? '' : `, ${preview.encoding}`}). ` +
                  'Nothing was written.\n',
              );
              if (preview.problems_total > 0) setExitCode(1);
              return;
            }
          }
          let validating: ReturnType<typeof createProgress> | undefined;
          let loading: ReturnType<typeof createProgress> | undefined;
          let analysing = false;
          const onProgress: ImportProgress = (phase, done, total) => {
            if (phase === 'validate') {
              validating ??= createProgress('Checking rows', undefined);
              validating.update(done);
            } else if (phase === 'load') {
              validating?.finish();
              validating = undefined;
              loading ??= createProgress('Importing', total);
              loading.update(done);
            } else if (done === 0 && !analysing) {
              // Once, though a large import reports it twice (its indexes rebuilt, then the statistics).
              analysing = true;
              loading?.finish();
              loading = undefined;
              process.stderr.write('Building the search indexes and statistics…\n');
            }
          };
          try {
            const result = await importItemsCsv(db, actor, options.investigation, file, { onProgress, ...reading });
            loading?.finish();
            if (options.json === true) return printJson(result);
            process.stdout.write(
              `Imported ${result.markings_created} markings on ${result.items_created} items at ` +
                `${result.sites_created} new and ${result.sites_reused} existing sites ` +
                `(${result.rows} rows, ${result.encoding}, ${result.seconds} s).\n`,
            );
          } finally {
            validating?.finish();
          }
        });
      },
    );

  const mappingCommand = importCommand.command('mapping').description('Column mappings saved in an investigation');
  mappingCommand
    .command('save <name> <file>')
    .description('Save a column mapping file (JSON or CSV header,field) under a name, replacing any of that name')
    .requiredOption('--investigation <id>', 'investigation to save it in')
    .action(async (name: string, file: string, options: { investigation: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const saved = await saveImportMapping(db, actor, options.investigation, {
          name,
          mapping: await readMappingFile(file),
        });
        printJson(saved);
      });
    });
  mappingCommand
    .command('list')
    .description('The column mappings saved in an investigation')
    .requiredOption('--investigation <id>', 'investigation')
    .action(async (options: { investigation: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        printJson(await listImportMappings(db, actor, options.investigation));
      });
    });
}
