import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord } from '../../cli/output.js';
import type { MarkingKind } from './schema.js';
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
}
