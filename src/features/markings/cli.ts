import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord, printTable } from '../../cli/output.js';
import * as groups from './groups.js';
import type { MarkingKind } from './schema.js';
import * as search from './search.js';
import {
  groupScopeQuerySchema,
  rankedSearchQuerySchema,
  serialRunsQuerySchema,
  type MarkingHit,
} from './search-schema.js';
import * as service from './service.js';

export function registerMarkingCommands(program: Command): void {
  const marking = program.command('marking').description('Markings read on items (serials, lots, factory codes…)');

  marking
    .command('add <itemId>')
    .description('Record a marking exactly as transcribed; write ? for each character you cannot read')
    .requiredOption('--text <text>', 'the marking as transcribed, in its own script')
    .requiredOption(
      '--kind <kind>',
      'serial, lot, factory_code, year, headstamp, model, stock_number, contract or other',
    )
    .option('--position <where>', 'where on the item')
    .option('--script <code>', 'ISO 15924 code (Latn, Cyrl, Arab…) or mixed; detected when left out')
    .option('--json', 'print JSON')
    .action(
      async (
        itemId: string,
        options: { text: string; kind: string; position?: string; script?: string; json?: boolean },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const created = await service.createMarking(db, actor, itemId, {
            text: options.text,
            kind: options.kind as MarkingKind,
            position: options.position,
            script: options.script,
          });
          if (options.json === true) printJson(created);
          else
            process.stdout.write(
              `Recorded marking ${created.id} (${created.legibility}, normalized "${created.normalized}")\n`,
            );
        });
      },
    );

  addPageOptions(
    marking
      .command('list')
      .description('List or search the markings of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--q <text>', 'find markings containing or resembling this text (closest first)')
      .option('--kind <kind>', 'only this kind'),
  )
    .option('--include-archived', 'also list archived markings')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          q?: string;
          kind?: string;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const page = await service.searchMarkings(db, actor, options.investigation, {
            q: options.q,
            kind: options.kind as MarkingKind | undefined,
            limit: Number(options.limit),
            after: options.after,
            include_archived: options.includeArchived === true,
          });
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'ITEM', value: (row) => row.item_id },
              { header: 'KIND', value: (row) => row.kind },
              { header: 'TEXT', value: (row) => row.text },
              { header: 'SCRIPT', value: (row) => row.script },
              { header: 'LEGIBILITY', value: (row) => row.legibility },
              ...(options.q === undefined
                ? []
                : [
                    { header: 'SIMILARITY', value: (row: { similarity: number | null }) => row.similarity?.toFixed(2) },
                  ]),
            ],
            options.q === undefined
              ? 'No markings yet. Record one with `armtrace marking add ITEM_ID --text "..." --kind serial`.'
              : `No marking contains or resembles "${options.q}".`,
            options,
          );
        });
      },
    );

  marking
    .command('show <id>')
    .description('Show a marking')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getMarking(db, actor, id);
        if (options.json === true) return printJson(record);
        printRecord(record);
      });
    });

  registerAnalysisCommands(program);
}

function printHits(hits: MarkingHit[], emptyMessage: string): void {
  printTable(
    hits,
    [
      { header: 'SCORE', value: (hit) => hit.score.toFixed(2) },
      { header: 'TEXT', value: (hit) => hit.text },
      { header: 'KIND', value: (hit) => hit.kind },
      { header: 'ITEM', value: (hit) => hit.item.external_ref ?? hit.item.id },
      { header: 'SITE', value: (hit) => hit.site.name },
      { header: 'DIFFERENCES', value: (hit) => hit.explanation },
      { header: 'MARKING', value: (hit) => hit.id },
    ],
    emptyMessage,
  );
}

function extent(km: number | null): string {
  return km === null ? '' : `${km} km`;
}

/** `armtrace markings …`: search and analysis across investigations. */
function registerAnalysisCommands(program: Command): void {
  const markings = program
    .command('markings')
    .description('Find markings across investigations; serial runs and shared lots');

  markings
    .command('search <query>')
    .description(
      'Find markings closest first: plain text is fuzzy, ? is one unreadable character, * any run, [AB] A or B',
    )
    .option('--investigation <id>', 'only this investigation (default: every one you can read)')
    .option('--kind <kind>', 'only markings of this kind')
    .option('--category <category>', 'only markings on items of this category')
    .option('--site <id>', 'only markings on items found at this site')
    .option('--limit <n>', 'results', '20')
    .option('--json', 'print JSON')
    .action(
      async (
        query: string,
        options: {
          investigation?: string;
          kind?: string;
          category?: string;
          site?: string;
          limit: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const parsed = rankedSearchQuerySchema.parse({
          q: query,
          investigation_id: options.investigation,
          kind: options.kind,
          category: options.category,
          site_id: options.site,
          limit: options.limit,
        });
        await withSession(command, async ({ db, actor }) => {
          const result = await search.searchAllMarkings(db, actor, parsed);
          if (options.json === true) return printJson(result);
          printHits(result.items, `No marking resembles "${query}". Try fewer characters, or ? for unreadable ones.`);
        });
      },
    );

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
