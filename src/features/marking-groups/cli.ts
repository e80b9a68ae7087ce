import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import { markingsCommand } from '../marking-search/cli.js';
import { groupScopeQuerySchema, serialRunsQuerySchema } from './schema.js';
import * as groups from './service.js';

/** `armtrace markings runs` and `armtrace markings lots`. */
export function registerMarkingGroupCommands(program: Command): void {
  const markings = markingsCommand(program);

  markings
    .command('runs')
    .description('Serial runs: close serials sharing a prefix on items of one model and producer (likely one shipment)')
    .option('--investigation <id>', 'only this investigation (default: every one you can read)')
    .option('--max-gap <n>', 'largest gap between neighbouring serial numbers in a run', '50')
    .option('--min-items <n>', 'smallest run to show', '3')
    .option('--limit <n>', 'runs', '20')
    .option('--json', 'print JSON')
    .action(
      async (
        options: { investigation?: string; maxGap: string; minItems: string; limit: string; json?: boolean },
        command: Command,
      ) => {
        const parsed = serialRunsQuerySchema.parse({
          investigation_id: options.investigation,
          max_gap: options.maxGap,
          min_items: options.minItems,
          limit: options.limit,
        });
        await withSession(command, async ({ db, actor }) => {
          const result = await groups.listSerialRuns(db, actor, parsed);
          if (options.json === true) return printJson(result);
          printTable(
            result.items,
            [
              {
                header: 'SERIALS',
                value: (run) => `${run.members[0]?.text ?? ''} … ${run.members.at(-1)?.text ?? ''}`,
              },
              { header: 'MODEL', value: (run) => run.model },
              { header: 'PRODUCER', value: (run) => run.producer_name },
              { header: 'ITEMS', value: (run) => run.items },
              { header: 'SITES', value: (run) => run.sites },
              { header: 'EXTENT', value: (run) => extent(run.extent_km) },
            ],
            'No serial runs: no serials of one model share a prefix and lie close together.',
          );
        });
      },
    );

  markings
    .command('lots')
    .description('Lot markings read at several sites, widest spread first')
    .option('--investigation <id>', 'only this investigation (default: every one you can read)')
    .option('--limit <n>', 'lots', '20')
    .option('--json', 'print JSON')
    .action(async (options: { investigation?: string; limit: string; json?: boolean }, command: Command) => {
      const parsed = groupScopeQuerySchema.parse({ investigation_id: options.investigation, limit: options.limit });
      await withSession(command, async ({ db, actor }) => {
        const result = await groups.listSharedLots(db, actor, parsed);
        if (options.json === true) return printJson(result);
        printTable(
          result.items,
          [
            { header: 'LOT', value: (lot) => lot.variants.join(' | ') },
            { header: 'ITEMS', value: (lot) => lot.items },
            { header: 'SITES', value: (lot) => lot.sites },
            { header: 'INVESTIGATIONS', value: (lot) => lot.investigations },
            { header: 'EXTENT', value: (lot) => extent(lot.extent_km) },
          ],
          'No lot marking has been read at more than one site.',
        );
      });
    });
}

function extent(km: number | null): string {
  return km === null ? '' : `${km} km`;
}
