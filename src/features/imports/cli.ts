import { Option, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { createProgress, printJson } from '../../cli/output.js';
import { importItemsCsv, type ImportProgress } from './service.js';

export function registerImportCommands(program: Command): void {
  const importCommand = program.command('import').description('Bulk imports from files');

  importCommand
    .command('items <file>')
    .description(
      'Import items and their markings from a CSV file, one row per marking (columns: docs/markings.md). ' +
        'The whole file is checked first: any bad row refuses it, with its line number, and nothing is written.',
    )
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
        options: { investigation: string; json?: boolean; encoding?: 'utf-8' | 'iso-8859-1' },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          let validating: ReturnType<typeof createProgress> | undefined;
          let loading: ReturnType<typeof createProgress> | undefined;
          const onProgress: ImportProgress = (phase, done, total) => {
            if (phase === 'validate') {
              validating ??= createProgress('Checking rows', undefined);
              validating.update(done);
            } else if (phase === 'load') {
              validating?.finish();
              validating = undefined;
              loading ??= createProgress('Importing', total);
              loading.update(done);
            } else if (done === 0) {
              loading?.finish();
              loading = undefined;
              process.stderr.write('Updating the search statistics…\n');
            }
          };
          try {
            const result = await importItemsCsv(db, actor, options.investigation, file, {
              onProgress,
              encoding: options.encoding,
            });
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
}
