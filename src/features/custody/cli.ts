import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import * as service from './service.js';

export function registerCustodyCommands(program: Command): void {
  const custody = program.command('custody').description('Chain of custody of items (append-only)');

  custody
    .command('add <itemId>')
    .description('Record a hand-over of an item; it cannot be changed afterwards')
    .requiredOption('--from <party>', 'who handed the item over')
    .requiredOption('--to <party>', 'who received it')
    .option('--at <iso>', 'when (ISO 8601, e.g. 2024-03-01T10:00:00Z); now when left out')
    .option('--place <place>', 'where')
    .option('--note <text>', 'note')
    .option('--json', 'print JSON')
    .action(
      async (
        itemId: string,
        options: { from: string; to: string; at?: string; place?: string; note?: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const created = await service.addCustodyEvent(db, actor, itemId, {
            from_party: options.from,
            to_party: options.to,
            occurred_at: options.at,
            place: options.place,
            note: options.note,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Recorded hand-over ${created.id}: ${created.from_party} → ${created.to_party}\n`);
        });
      },
    );

  custody
    .command('list <itemId>')
    .description('Show the chain of custody of an item, oldest first')
    .option('--json', 'print JSON')
    .action(async (itemId: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const events = await service.listCustodyEvents(db, actor, itemId);
        if (options.json === true) return printJson({ items: events });
        printTable(
          events,
          [
            { header: 'AT', value: (row) => row.occurred_at },
            { header: 'FROM', value: (row) => row.from_party },
            { header: 'TO', value: (row) => row.to_party },
            { header: 'PLACE', value: (row) => row.place },
            { header: 'NOTE', value: (row) => row.note },
          ],
          `No hand-overs recorded. Add one with \`armtrace custody add ${itemId} --from "..." --to "..."\`.`,
        );
      });
    });
}
