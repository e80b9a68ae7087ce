import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord } from '../../cli/output.js';
import type { Role } from '../access/schema.js';
import * as service from './service.js';

export function registerInvestigationCommands(program: Command): void {
  const investigation = program.command('investigation').description('Investigations and their members');

  investigation
    .command('add')
    .description('Create an investigation (you become its owner)')
    .requiredOption('--title <title>', 'title')
    .option('--summary <text>', 'summary', '')
    .option('--json', 'print JSON')
    .action(async (options: { title: string; summary: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const created = await service.createInvestigation(db, actor, {
          title: options.title,
          summary: options.summary,
        });
        if (options.json === true) printJson(created);
        else process.stdout.write(`Created investigation ${created.id}\n`);
      });
    });

  addPageOptions(investigation.command('list').description('List your investigations'))
    .option('--include-archived', 'also list archived investigations')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { limit: string; after?: string; includeArchived?: boolean; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listInvestigations(db, actor, {
            limit: Number(options.limit),
            after: options.after,
            include_archived: options.includeArchived === true,
          });
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'TITLE', value: (row) => row.title },
              { header: 'ROLE', value: (row) => row.my_role },
              { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
            ],
            'No investigations yet. Create one with `armtrace investigation add --title "..."`, or load the example with `armtrace demo`.',
            options,
          );
        });
      },
    );

  investigation
    .command('show <id>')
    .description('Show an investigation with its counts and members')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getInvestigation(db, actor, id);
        const overview = await service.getOverview(db, actor, id);
        const members = await service.listMembers(db, actor, id);
        if (options.json === true) return printJson({ ...record, overview, members });
        printRecord({ ...record, ...overview.counts });
        process.stdout.write(
          `members      ${members.map((member) => `${member.username} (${member.role})`).join(', ')}\n`,
        );
      });
    });

  investigation
    .command('member-add <investigationId> <username> <role>')
    .description('Add a member: role is owner, editor, investigator or viewer')
    .action(async (investigationId: string, username: string, role: string, _options: unknown, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const membership = await service.addMember(db, actor, investigationId, { username, role: role as Role });
        process.stdout.write(`${membership.username} is now ${membership.role} of ${investigationId}\n`);
      });
    });
}
