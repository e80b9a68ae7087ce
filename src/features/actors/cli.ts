import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord } from '../../cli/output.js';
import { actorListQuerySchema, type ActorType } from './schema.js';
import * as service from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerActorCommands(program: Command): void {
  const actor = program
    .command('actor')
    .description('Actors: manufacturers, states, companies, armed groups and units');

  actor
    .command('add')
    .description('Record an actor in an investigation')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--type <type>', 'manufacturer, state, company, armed_group, unit or other')
    .requiredOption('--name <name>', 'name')
    .option('--alias <alias>', 'another name or spelling (repeat for several)', collect, [])
    .option('--country <code>', 'ISO 3166-1 alpha-2 country code, e.g. UA')
    .option('--notes <text>', 'notes', '')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          type: string;
          name: string;
          alias: string[];
          country?: string;
          notes: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor: user }) => {
          const created = await service.createActor(db, user, options.investigation, {
            actor_type: options.type as ActorType,
            name: options.name,
            aliases: options.alias,
            country_code: options.country,
            notes: options.notes,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Created actor ${created.id} (${created.name})\n`);
        });
      },
    );

  addPageOptions(
    actor
      .command('list')
      .description('List the actors of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--type <type>', 'only this type')
      .option('--country <code>', 'only this country')
      .option('--search <text>', 'part of the name or of an alias'),
  )
    .option('--include-archived', 'also list archived actors')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          type?: string;
          country?: string;
          search?: string;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        const query = actorListQuerySchema.parse({
          limit: options.limit,
          after: options.after,
          include_archived: options.includeArchived === true ? 'true' : 'false',
          actor_type: options.type,
          country_code: options.country,
          q: options.search,
        });
        await withSession(command, async ({ db, actor: user }) => {
          const page = await service.listActors(db, user, options.investigation, query);
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'TYPE', value: (row) => row.actor_type },
              { header: 'NAME', value: (row) => row.name },
              { header: 'ALIASES', value: (row) => row.aliases.join(', ') },
              { header: 'COUNTRY', value: (row) => row.country_code },
              { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
            ],
            `No actors found. Record one with \`armtrace actor add --investigation ${options.investigation} --type manufacturer --name "..."\`.`,
            options,
          );
        });
      },
    );

  actor
    .command('show <id>')
    .description('Show one actor')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor: user }) => {
        const record = await service.getActor(db, user, id);
        if (options.json === true) printJson(record);
        else printRecord(record);
      });
    });

  actor
    .command('merge <id>')
    .description('Merge a duplicate actor into another: its names become aliases, its references move')
    .requiredOption('--into <id>', 'the actor that is kept')
    .option('--version <n>', 'the version you read of the duplicate (see `actor show`)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { into: string; version?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor: user }) => {
        const result = await service.mergeActor(db, user, id, {
          into_id: options.into,
          ...(options.version === undefined ? {} : { version: Number(options.version) }),
        });
        if (options.json === true) return printJson(result);
        process.stdout.write(
          `Merged ${result.merged.name} into ${result.kept.name} (${result.kept.id}): ` +
            `${result.moved.trace_requests} trace request(s) and ${result.moved.provenance_claims} provenance claim(s) moved.\n` +
            `Aliases now: ${result.kept.aliases.join(', ')}\n`,
        );
      });
    });
}
