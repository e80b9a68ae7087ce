import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printRecord, printTable } from '../../cli/output.js';
import type { MediaLink } from './schema.js';
import * as service from './service.js';

function describeTarget(link: MediaLink): string {
  if (link.site_id !== null) return `site ${link.site_id}`;
  if (link.item_id !== null) return `item ${link.item_id}`;
  return `marking ${link.marking_id ?? ''}`;
}

export function registerMediaCommands(program: Command): void {
  const media = program.command('media').description('Media records (photos, videos, documents) and their links');

  media
    .command('list')
    .description('List the media records of an investigation')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--sha256 <hash>', 'only records of the file with this SHA-256')
    .option('--limit <n>', 'rows per page', '50')
    .option('--after <id>', 'continue after this id (from the previous page)')
    .option('--include-archived', 'also list archived media records')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          sha256?: string;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listMedia(db, actor, options.investigation, {
            limit: Number(options.limit),
            after: options.after,
            include_archived: options.includeArchived === true,
            sha256: options.sha256?.toLowerCase(),
            source_id: undefined,
          });
          if (options.json === true) return printJson(page);
          printTable(
            page.items,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'TYPE', value: (row) => row.media_type },
              { header: 'FILE', value: (row) => row.original_filename },
              { header: 'SHA256', value: (row) => row.sha256.slice(0, 12) },
              { header: 'CREDIT', value: (row) => row.credit },
              { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
            ],
            'No media records yet. They are added through the API (POST /api/v1/investigations/:id/media).',
          );
          if (page.next_after !== null) process.stdout.write(`More: --after ${page.next_after}\n`);
        });
      },
    );

  media
    .command('show <id>')
    .description('Show a media record and what it is linked to')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getMedia(db, actor, id);
        if (options.json === true) return printJson(record);
        const { links, ...fields } = record;
        printRecord({
          ...fields,
          links: links.length === 0 ? 'none' : links.map((link) => describeTarget(link)).join(', '),
        });
      });
    });
}
