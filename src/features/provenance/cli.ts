import fs from 'node:fs';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printTable } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import {
  provenanceClaimListQuerySchema,
  type Confidence,
  type ProvenanceClaim,
  type ProvenanceEventType,
} from './schema.js';
import * as service from './service.js';

/** `armtrace provenance …`. */
export function registerProvenanceCommands(program: Command): void {
  const provenance = program.command('provenance').description('Provenance claims about items and lots');

  provenance
    .command('add')
    .description('Record a provenance claim about one item (--item) or a whole lot (--lot)')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--item <id>', 'the item the claim is about')
    .option('--lot <marking>', 'the lot the claim is about')
    .requiredOption('--event <type>', 'produced, exported, transferred, diverted or recovered')
    .requiredOption('--confidence <level>', 'confirmed, probable or possible')
    .option('--actor <id>', 'who produced, exported, transferred, diverted or recovered')
    .option('--counterpart <id>', 'the other party')
    .option('--from <date>', 'earliest date (YYYY-MM-DD)')
    .option('--to <date>', 'latest date (YYYY-MM-DD)')
    .option('--place <text>', 'place')
    .option('--source <id>', 'the source supporting the claim')
    .option('--trace-request <id>', 'the trace request whose answer supports the claim')
    .option('--notes <text>', 'notes', '')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          item?: string;
          lot?: string;
          event: string;
          confidence: string;
          actor?: string;
          counterpart?: string;
          from?: string;
          to?: string;
          place?: string;
          source?: string;
          traceRequest?: string;
          notes: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor: user }) => {
          const created = await service.createProvenanceClaim(db, user, options.investigation, {
            item_id: options.item,
            lot_marking: options.lot,
            event_type: options.event as ProvenanceEventType,
            confidence: options.confidence as Confidence,
            actor_id: options.actor,
            counterpart_id: options.counterpart,
            occurred_from: options.from,
            occurred_to: options.to,
            place: options.place,
            source_id: options.source,
            trace_request_id: options.traceRequest,
            notes: options.notes,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Created provenance claim ${created.id} (${created.event_type})\n`);
        });
      },
    );

  addPageOptions(
    provenance
      .command('list')
      .description('The provenance of an item (--item), or the claims of an investigation (--investigation)')
      .option('--item <id>', 'item id: its own claims and those about lots it carries, in event order')
      .option('--investigation <id>', 'investigation id')
      .option('--lot <marking>', 'with --investigation: only claims about this lot'),
    { limit: 'rows per page (with --investigation)', after: 'continue after this id (with --investigation)' },
  )
    .option('--json', 'print JSON')
    .action(
      async (
        options: { item?: string; investigation?: string; lot?: string; limit: string; after?: string; json?: boolean },
        command: Command,
      ) => {
        const columns = [
          { header: 'ID', value: (row: ProvenanceClaim) => row.id },
          { header: 'EVENT', value: (row: ProvenanceClaim) => row.event_type },
          { header: 'FROM', value: (row: ProvenanceClaim) => row.occurred_from },
          { header: 'TO', value: (row: ProvenanceClaim) => row.occurred_to },
          { header: 'PLACE', value: (row: ProvenanceClaim) => row.place },
          { header: 'CONFIDENCE', value: (row: ProvenanceClaim) => row.confidence },
        ];
        if (options.item !== undefined) {
          const itemId = options.item;
          await withSession(command, async ({ db, actor }) => {
            const result = await service.getItemProvenance(db, actor, itemId);
            if (options.json === true) return printJson(result);
            printTable(
              result.claims,
              [
                ...columns,
                { header: 'VIA LOT', value: (row) => row.inherited_from_lot },
                {
                  header: 'CONTRADICTS',
                  value: (row) => row.conflicts_with.map((conflictId) => conflictId.slice(-8)).join(' '),
                },
              ],
              `No provenance claims for item ${itemId} or its lots. Record one with \`armtrace provenance add --investigation ID --item ${itemId} --event produced --confidence possible\`.`,
            );
          });
          return;
        }
        if (options.investigation === undefined) {
          throw new DomainError(
            'validation_failed',
            'Give --item ITEM_ID (the provenance of one item) or --investigation ID.',
            [{ field: 'item', message: 'required without --investigation' }],
          );
        }
        const investigationId = options.investigation;
        const query = provenanceClaimListQuerySchema.parse({
          limit: options.limit,
          after: options.after,
          lot_marking: options.lot,
        });
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listProvenanceClaims(db, actor, investigationId, query);
          printPage(
            page,
            [
              ...columns,
              {
                header: 'ABOUT',
                value: (row) => (row.item_id === null ? `lot ${row.lot_marking ?? ''}` : row.item_id),
              },
            ],
            'No provenance claims found. Record one with `armtrace provenance add --investigation ID (--item ID | --lot LOT) --event produced --confidence possible`.',
            options,
          );
        });
      },
    );

  provenance
    .command('lot')
    .description('The provenance of a lot: the items carrying it wherever found, and the claims about it')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--lot <marking>', 'the lot marking, any spelling')
    .option('--json', 'print JSON')
    .action(async (options: { investigation: string; lot: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const result = await service.getLotProvenance(db, actor, options.investigation, options.lot);
        if (options.json === true) return printJson(result);
        process.stdout.write(`Lot ${result.lot_marking} (compared as "${result.lot_normalized}")\n\nItems:\n`);
        printTable(
          result.items,
          [
            { header: 'ITEM', value: (row) => row.item_id },
            { header: 'REF', value: (row) => row.external_ref },
            { header: 'CATEGORY', value: (row) => row.category },
            { header: 'SITE', value: (row) => row.site_name },
            { header: 'MARKING', value: (row) => row.marking_text },
          ],
          'No item carries this lot marking.',
        );
        process.stdout.write('\nClaims:\n');
        printTable(
          result.claims,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'EVENT', value: (row) => row.event_type },
            { header: 'FROM', value: (row) => row.occurred_from },
            { header: 'TO', value: (row) => row.occurred_to },
            { header: 'CONFIDENCE', value: (row) => row.confidence },
            {
              header: 'CONTRADICTS',
              value: (row) => row.conflicts_with.map((conflictId) => conflictId.slice(-8)).join(' '),
            },
          ],
          'No claims about this lot.',
        );
      });
    });

  provenance
    .command('export')
    .description('Export the provenance of an item as a W3C PROV-JSON document')
    .requiredOption('--item <id>', 'item id')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { item: string; out?: string }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const document = await service.exportItemProvenance(db, actor, options.item);
        const text = `${JSON.stringify(document, null, 2)}\n`;
        if (options.out === undefined) {
          process.stdout.write(text);
          return;
        }
        fs.writeFileSync(options.out, text);
        process.stderr.write(
          `Wrote ${options.out}: ${Object.keys(document.activity).length} claim(s), ${Object.keys(document.agent).length} actor(s)\n`,
        );
      });
    });
}
