import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printTable } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { analysisNames, timelineQuerySchema, type AnalysisName } from './schema.js';
import * as service from './service.js';

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function years(value: number | null): string {
  return value === null ? '' : value.toFixed(1);
}

export function registerAnalysisCommands(program: Command): void {
  program
    .command('analysis <name>')
    .description(`Figures of an investigation: ${analysisNames.join(', ')}`)
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--as-of <date>', 'measure ages on this day (YYYY-MM-DD); today by default')
    .option('--granularity <period>', 'production-sites-over-time: month or year', 'month')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        options: { investigation: string; asOf?: string; granularity: string; json?: boolean },
        command: Command,
      ) => {
        if (!(analysisNames as readonly string[]).includes(name)) {
          throw new DomainError(
            'validation_failed',
            `Unknown analysis "${name}": use one of ${analysisNames.join(', ')}.`,
            [{ field: 'name', message: `one of ${analysisNames.join(', ')}` }],
          );
        }
        const query = timelineQuerySchema.parse({ as_of: options.asOf, granularity: options.granularity });
        const id = options.investigation;
        await withSession(command, async ({ db, actor }) => {
          switch (name as AnalysisName) {
            case 'production-countries': {
              const result = await service.getProductionCountries(db, actor, id);
              if (options.json === true) return printJson(result);
              printTable(
                result.rows,
                [
                  { header: 'COUNTRY', value: (row) => row.key },
                  { header: 'ITEMS', value: (row) => row.items },
                  { header: 'SHARE', value: (row) => percent(row.share_items) },
                  { header: 'QUANTITY', value: (row) => row.quantity },
                  { header: 'QTY SHARE', value: (row) => percent(row.share_quantity) },
                  { header: 'CONFIRMED', value: (row) => row.confirmed },
                  { header: 'PROBABLE', value: (row) => row.probable },
                  { header: 'POSSIBLE', value: (row) => row.possible },
                ],
                'No items recorded yet.',
              );
              return;
            }
            case 'categories': {
              const result = await service.getCategories(db, actor, id);
              if (options.json === true) return printJson(result);
              printTable(
                result.rows,
                [
                  { header: 'CATEGORY', value: (row) => row.category },
                  { header: 'ITEMS', value: (row) => row.items },
                  { header: 'SHARE', value: (row) => percent(row.share_items) },
                  { header: 'QUANTITY', value: (row) => row.quantity },
                  { header: 'CRAFT', value: (row) => row.craft_items },
                  { header: 'FACTORY', value: (row) => row.factory_items },
                ],
                'No items recorded yet.',
              );
              return;
            }
            case 'export-to-recovery': {
              const result = await service.getExportToRecovery(db, actor, id);
              if (options.json === true) return printJson(result);
              const binHeaders = result.bins.map((bin, index) => ({
                header: `${bin.label} Y`,
                value: (row: { counts: number[] }) => row.counts[index],
              }));
              printTable(
                result.by_category,
                [
                  { header: 'CATEGORY', value: (row) => row.category },
                  { header: 'N', value: (row) => row.n },
                  { header: 'MEDIAN Y', value: (row) => years(row.median_years) },
                  { header: 'MIN', value: (row) => years(row.min_years) },
                  { header: 'MAX', value: (row) => years(row.max_years) },
                  ...binHeaders,
                ],
                'No item has both a dated export (or production) claim and a site recovery date.',
              );
              process.stdout.write(
                `Excluded: ${result.excluded.no_recovery_date} without recovery date, ${result.excluded.no_dated_claim} without dated claim, ${result.excluded.recovered_before_start} with contradictory dates.\n`,
              );
              return;
            }
            case 'craft-clusters': {
              const result = await service.getCraftClusters(db, actor, id);
              if (options.json === true) return printJson(result);
              printTable(
                result.sites,
                [
                  { header: 'SITE', value: (row) => row.name },
                  { header: 'CRAFT ITEMS', value: (row) => row.craft_items },
                  { header: 'SHARE', value: (row) => percent(row.share_items) },
                  { header: 'QUANTITY', value: (row) => row.craft_quantity },
                  { header: 'LAT', value: (row) => row.latitude },
                  { header: 'LON', value: (row) => row.longitude },
                ],
                'No craft-produced items recorded.',
              );
              return;
            }
            case 'production-sites-over-time': {
              const result = await service.getProductionSitesOverTime(db, actor, id, query);
              if (options.json === true) return printJson(result);
              printTable(
                result.periods,
                [
                  { header: 'PERIOD', value: (row) => row.period },
                  { header: 'NEW SITES', value: (row) => row.new_sites },
                  { header: 'TOTAL', value: (row) => row.cumulative_sites },
                  { header: 'CRAFT ITEMS', value: (row) => row.craft_items },
                ],
                'No dated production workshop recorded.',
              );
              if (result.undated_sites > 0)
                process.stdout.write(`${result.undated_sites} workshop(s) without a recovery date.\n`);
              return;
            }
            case 'open-trace-requests': {
              const result = await service.getOpenTraceRequests(db, actor, id, query);
              if (options.json === true) return printJson(result);
              printTable(
                result.by_addressee,
                [
                  { header: 'ADDRESSEE', value: (row) => row.name },
                  { header: 'OPEN', value: (row) => row.open },
                  { header: 'OVERDUE', value: (row) => row.overdue },
                  { header: 'OLDEST DAYS', value: (row) => row.oldest_days },
                  ...result.age_buckets.map((label, index) => ({
                    header: `${label} D`,
                    value: (row: { buckets: number[] }) => row.buckets[index],
                  })),
                ],
                `No open trace requests on ${result.as_of}.`,
              );
              return;
            }
          }
        });
      },
    );
}
