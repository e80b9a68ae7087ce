import { InvalidArgumentError, Option, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord } from '../../cli/output.js';
import { incidentTypes, type Incident } from './schema.js';
import * as service from './service.js';

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('give a whole number, 0 or more');
  return count;
}

interface AddOptions {
  investigation: string;
  type: Incident['incident_type'];
  title: string;
  on?: string;
  site?: string;
  place?: string;
  killed?: number;
  injured?: number;
  description?: string;
  source?: string;
  json?: boolean;
}

interface ListOptions {
  investigation: string;
  type?: Incident['incident_type'];
  site?: string;
  limit: string;
  after?: string;
  includeArchived?: boolean;
  json?: boolean;
}

export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command('incident')
    .description('Incidents (malfunctions, accidents, seizures, attacks) and the items involved');

  incident
    .command('add')
    .description('Record an incident')
    .requiredOption('--investigation <id>', 'investigation id')
    .addOption(new Option('--type <type>', 'what happened').choices(incidentTypes).makeOptionMandatory())
    .requiredOption('--title <title>', 'title')
    .option('--on <date>', 'date it happened, YYYY-MM-DD')
    .option('--site <id>', 'site where it happened')
    .option('--place <text>', 'place name')
    .option('--killed <n>', 'number killed (a count only)', parseCount)
    .option('--injured <n>', 'number injured (a count only)', parseCount)
    .option('--description <text>', 'description')
    .option('--source <id>', 'source that reports it')
    .option('--json', 'print JSON')
    .action(async (options: AddOptions, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const created = await service.createIncident(db, actor, options.investigation, {
          incident_type: options.type,
          title: options.title,
          occurred_on: options.on,
          site_id: options.site,
          place: options.place,
          killed: options.killed,
          injured: options.injured,
          description: options.description,
          source_id: options.source,
        });
        if (options.json === true) printJson(created);
        else process.stdout.write(`Created incident ${created.id}\n`);
      });
    });

  addPageOptions(
    incident
      .command('list')
      .description('List the incidents of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .addOption(new Option('--type <type>', 'only this type').choices(incidentTypes))
      .option('--site <id>', 'only incidents at this site'),
  )
    .option('--include-archived', 'also list archived incidents')
    .option('--json', 'print JSON')
    .action(async (options: ListOptions, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const page = await service.listIncidents(db, actor, options.investigation, {
          limit: Number(options.limit),
          after: options.after,
          sort: 'created',
          order: 'asc',
          include_archived: options.includeArchived === true,
          incident_type: options.type,
          site_id: options.site,
        });
        printPage(
          page,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'TYPE', value: (row) => row.incident_type },
            { header: 'ON', value: (row) => row.occurred_on },
            { header: 'KILLED', value: (row) => row.killed },
            { header: 'INJURED', value: (row) => row.injured },
            { header: 'ITEMS', value: (row) => row.item_ids.length },
            { header: 'TITLE', value: (row) => row.title },
            { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
          ],
          `No incidents yet. Record one with \`armtrace incident add --investigation ${options.investigation} --type seizure --title "..."\`.`,
          options,
        );
      });
    });

  incident
    .command('link <id>')
    .description('Link an item of the same investigation to an incident')
    .requiredOption('--item <itemId>', 'item id')
    .action(async (id: string, options: { item: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const updated = await service.linkIncidentItem(db, actor, id, { item_id: options.item });
        process.stdout.write(`Incident ${updated.id} now involves ${updated.item_ids.length} item(s)\n`);
      });
    });

  incident
    .command('unlink <id>')
    .description('Remove an item linked to an incident in error (the audit log keeps both)')
    .requiredOption('--item <itemId>', 'item id')
    .action(async (id: string, options: { item: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const updated = await service.unlinkIncidentItem(db, actor, id, options.item);
        process.stdout.write(`Incident ${updated.id} now involves ${updated.item_ids.length} item(s)\n`);
      });
    });

  incident
    .command('show <id>')
    .description('Show an incident and its linked items')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getIncident(db, actor, id);
        if (options.json === true) printJson(record);
        else printRecord(record);
      });
    });
}
