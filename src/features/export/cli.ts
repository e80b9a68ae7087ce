import fs from 'node:fs';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { registerExportFileCommands } from './cli-files.js';
import { parseProfileOptions, withProfileOptions } from './cli-profile.js';
import { exportInvestigation } from './service.js';
import { DomainError } from '../../errors.js';
import { isLocale } from '../../i18n/messages.js';
import { printJson } from '../../cli/output.js';
import { gridKmSchema } from './profiles.js';
import { writePublicSite } from './site.js';

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
  exportCommand
    .command('site')
    .description(
      'Write the public site of an investigation (public profile): index.html with the report and a map of the generalised points, the public JSON and GeoJSON, photo copies without metadata; opens from the folder with no server',
    )
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--out <dir>', 'a new folder to write the site into')
    .option('--lang <lang>', 'language of the page: en, fr or ar', 'en')
    .option('--grid-km <km>', 'grid cell size in km the points are generalised to', '10')
    .option('--json', 'print a summary as JSON')
    .action(
      async (
        options: { investigation: string; out: string; lang: string; gridKm: string; json?: boolean },
        command: Command,
      ) => {
        if (!isLocale(options.lang)) {
          throw new DomainError('validation_failed', `Unknown language "${options.lang}": use en, fr or ar.`, [
            { field: 'lang', message: 'en, fr or ar' },
          ]);
        }
        const gridKm = gridKmSchema.safeParse(options.gridKm);
        if (!gridKm.success) {
          throw new DomainError('validation_failed', 'Invalid --grid-km: a whole number of km from 1 to 1000.', [
            { field: 'grid-km', message: 'a whole number of km from 1 to 1000' },
          ]);
        }
        const lang = options.lang;
        await withSession(command, async ({ db, actor, store }) => {
          const result = await writePublicSite(
            db,
            store,
            actor,
            options.investigation,
            { lang, gridKm: gridKm.data },
            options.out,
          );
          if (options.json === true) return printJson(result);
          process.stdout.write(
            `Wrote the public site to ${result.out}: ${result.sites} sites on a ${gridKm.data} km grid, ${result.photos} photo copies, ${result.withheld} files withheld. Open ${result.out}/index.html.\n`,
          );
        });
      },
    );
}
