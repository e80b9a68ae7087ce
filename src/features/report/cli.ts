import fs from 'node:fs';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { DomainError } from '../../errors.js';
import { parseProfileOptions, withProfileOptions } from '../export/cli-profile.js';
import { reportQuerySchema } from './routes.js';
import * as service from './service.js';

export function registerReportCommands(program: Command): void {
  withProfileOptions(
    program
      .command('report <out>')
      .description('Write the investigation report (figures, charts, methods, sources) as HTML or PDF')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--format <format>', 'html or pdf', 'html')
      .option('--lang <lang>', 'en, fr, or ar for a right-to-left report with Arabic headings', 'en')
      .option('--as-of <date>', 'measure ages on this day (YYYY-MM-DD); today by default'),
  ).action(
    async (
      out: string,
      options: {
        investigation: string;
        format: string;
        lang: string;
        asOf?: string;
        profile?: string;
        gridKm?: string;
      },
      command: Command,
    ) => {
      if (options.format !== 'html' && options.format !== 'pdf') {
        throw new DomainError('validation_failed', `Unknown format "${options.format}": use html or pdf.`, [
          { field: 'format', message: 'html or pdf' },
        ]);
      }
      const profile = parseProfileOptions(options);
      const query = reportQuerySchema.parse({ lang: options.lang, as_of: options.asOf });
      await withSession(command, async ({ db, actor }) => {
        const reportOptions = { lang: query.lang, asOf: query.as_of, profile };
        if (options.format === 'pdf') {
          fs.writeFileSync(out, await service.buildReportPdf(db, actor, options.investigation, reportOptions));
        } else {
          fs.writeFileSync(out, await service.buildReportHtml(db, actor, options.investigation, reportOptions));
        }
        process.stderr.write(`Wrote ${out}\n`);
      });
    },
  );
}
