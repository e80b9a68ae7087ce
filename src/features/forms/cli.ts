import fs from 'node:fs';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson } from '../../cli/output.js';
import { derivativesForCommand } from '../media/service.js';
import { importFormExport, writeXlsForm } from './service.js';

export function registerFormCommands(program: Command): void {
  const forms = program
    .command('forms')
    .description('Field forms: the XLSForm for ODK Collect / KoboCollect, and importing what they collected');

  forms
    .command('xlsform <out>')
    .description(
      'Write the XLSForm of the item capture (the investigation’s sites, choice lists in English, French and Arabic) ' +
        'to upload to ODK Central or KoboToolbox',
    )
    .requiredOption('--investigation <id>', 'investigation whose sites the form lists')
    .option('--form-version <version>', 'the version in the settings sheet (default: the time now, YYYYMMDDhhmm UTC)')
    .action(async (out: string, options: { investigation: string; formVersion?: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const form = await writeXlsForm(db, actor, options.investigation, { version: options.formVersion });
        fs.writeFileSync(out, form.bytes);
        process.stdout.write(`Wrote ${out}: form ${form.formId}, version ${form.version}.\n`);
      });
    });

  forms
    .command('import <file>')
    .description(
      'Import an ODK Central or KoboToolbox export of the form: the CSV zip with its media, or the JSON of ' +
        'ODK Central’s OData (Submissions?$expand=*) or Kobo’s API v2 (data.json). All or nothing; a submission ' +
        'imported before (same instance ID) is left alone.',
    )
    .requiredOption('--investigation <id>', 'investigation to import into')
    .option('--dry-run', 'check everything and say what would be created, writing nothing')
    .option('--json', 'print the result as JSON')
    .action(
      async (file: string, options: { investigation: string; dryRun?: boolean; json?: boolean }, command: Command) => {
        await withSession(command, async (session) => {
          const { db, actor, config, store } = session;
          const result = await importFormExport(
            db,
            { store, media: config.media, derivatives: derivativesForCommand(session) },
            actor,
            options.investigation,
            file,
            { dryRun: options.dryRun === true },
          );
          if (options.json === true) return printJson(result);
          const plural = (count: number, one: string, other: string) => `${count} ${count === 1 ? one : other}`;
          const before = plural(result.already_imported, 'submission was', 'submissions were');
          if (result.items_created === 0) {
            process.stdout.write(
              `Nothing new: every submission in the file (${result.submissions}) was imported before.\n`,
            );
            return;
          }
          process.stdout.write(
            `${result.dry_run ? 'Would create' : 'Created'} ${plural(result.items_created, 'item', 'items')} with ` +
              `${plural(result.markings_created, 'marking', 'markings')} and ` +
              `${plural(result.media_created, 'photo', 'photos')} ` +
              `(${plural(result.sites_created, 'new site', 'new sites')}, ` +
              `${plural(result.zones_created, 'new zone', 'new zones')}) from ` +
              `${plural(result.submissions, 'submission', 'submissions')} (${result.export_format}); ` +
              `${before} imported before.\n`,
          );
        });
      },
    );
}
