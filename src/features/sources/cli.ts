import { InvalidArgumentError, Option, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord } from '../../cli/output.js';
import { reliabilities, sourceKinds, type Source } from './schema.js';
import * as service from './service.js';

function parseCredibility(value: string): number {
  const credibility = Number(value);
  if (!Number.isInteger(credibility) || credibility < 1 || credibility > 6)
    throw new InvalidArgumentError('credibility is a whole number from 1 (confirmed) to 6 (cannot be judged)');
  return credibility;
}

interface AddOptions {
  investigation: string;
  kind: Source['kind'];
  title: string;
  publisher?: string;
  url?: string;
  language?: string;
  publishedOn?: string;
  excerpt?: string;
  credit?: string;
  reliability?: Source['reliability'];
  credibility?: number;
  notes?: string;
  json?: boolean;
}

interface ListOptions {
  investigation: string;
  kind?: Source['kind'];
  reliability?: NonNullable<Source['reliability']>;
  limit: string;
  after?: string;
  includeArchived?: boolean;
  json?: boolean;
}

export function registerSourceCommands(program: Command): void {
  const source = program.command('source').description('Sources: reports, documents, interviews, field documentation');

  source
    .command('add')
    .description('Record a source')
    .requiredOption('--investigation <id>', 'investigation id')
    .addOption(new Option('--kind <kind>', 'what the source is').choices(sourceKinds).makeOptionMandatory())
    .requiredOption('--title <title>', 'title')
    .option('--publisher <name>', 'publisher or outlet')
    .option('--url <url>', 'http(s) address')
    .option('--language <tag>', 'BCP 47 language of the original, e.g. ar, uk, zh-Hans')
    .option('--published-on <date>', 'publication date, YYYY-MM-DD')
    .option('--excerpt <text>', 'original-language excerpt, kept exactly')
    .option('--credit <line>', 'credit line, e.g. "Image source: QQ"')
    .addOption(new Option('--reliability <letter>', 'Admiralty reliability of the source').choices(reliabilities))
    .option('--credibility <n>', 'Admiralty credibility, 1 to 6', parseCredibility)
    .option('--notes <text>', 'notes')
    .option('--json', 'print JSON')
    .action(async (options: AddOptions, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const created = await service.createSource(db, actor, options.investigation, {
          kind: options.kind,
          title: options.title,
          publisher: options.publisher,
          url: options.url,
          language: options.language,
          published_on: options.publishedOn,
          excerpt: options.excerpt,
          credit_line: options.credit,
          reliability: options.reliability,
          credibility: options.credibility,
          notes: options.notes,
        });
        if (options.json === true) printJson(created);
        else
          process.stdout.write(
            `Created source ${created.id}${created.grading === null ? '' : ` (graded ${created.grading})`}\n`,
          );
      });
    });

  addPageOptions(
    source
      .command('list')
      .description('List the sources of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .addOption(new Option('--kind <kind>', 'only this kind').choices(sourceKinds))
      .addOption(new Option('--reliability <letter>', 'only this Admiralty reliability').choices(reliabilities)),
  )
    .option('--include-archived', 'also list archived sources')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const page = await service.listSources(db, actor, options.investigation, {
          limit: Number(options.limit),
          after: options.after,
          sort: 'created',
          order: 'asc',
          include_archived: options.includeArchived === true,
          kind: options.kind,
          reliability: options.reliability,
        });
        printPage(
          page,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'KIND', value: (row) => row.kind },
            { header: 'GRADE', value: (row) => row.grading },
            { header: 'PUBLISHED', value: (row) => row.published_on },
            { header: 'TITLE', value: (row) => row.title },
            { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
          ],
          `No sources yet. Record one with \`armtrace source add --investigation ${options.investigation} --kind media_report --title "..."\`.`,
          options,
        );
      });
    });

  source
    .command('show <id>')
    .description('Show a source')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getSource(db, actor, id);
        if (options.json === true) printJson(record);
        else printRecord(record);
      });
    });
}
