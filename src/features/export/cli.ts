import fs from 'node:fs';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { registerExportFileCommands } from './cli-files.js';
import { parseProfileOptions, withProfileOptions } from './cli-profile.js';
import { exportInvestigation } from './service.js';

export function registerExportCommands(program: Command): void {
  const exportCommand = program.command('export').description('Export records');
  withProfileOptions(
    exportCommand
      .command('json <out>')
      .description(
        'Write every record of an investigation the profile lets out (internal: all, archived ones too) as one JSON file; "-" for stdout',
      )
      .requiredOption('--investigation <id>', 'investigation id'),
  ).action(
    async (out: string, options: { investigation: string; profile?: string; gridKm?: string }, command: Command) => {
      const profile = parseProfileOptions(options);
      await withSession(command, async ({ db, actor }) => {
        const document = await exportInvestigation(db, actor, options.investigation, profile);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (out === '-') {
          process.stdout.write(text);
          return;
        }
        // Write beside the target, then rename: a reader never sees half a file.
        const temporary = `${out}.partial`;
        fs.writeFileSync(temporary, text, { flag: 'wx' });
        fs.renameSync(temporary, out);
        const count = Object.values(document.records).reduce((sum, rows) => sum + rows.length, 0);
        process.stdout.write(
          `Wrote ${count} records of "${document.investigation.title}" (profile ${document.profile.name}) to ${out}\n`,
        );
      });
    },
  );
  registerExportFileCommands(exportCommand);
}
