import { InvalidArgumentError, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord, printTable } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { numberProblemMessages, readNumber } from '../../parsing/numbers.js';
import type { CreateMarkingInput, MarkingKind } from '../markings/schema.js';
import { addSensitivityOptions, sensitivityFromOptions, type SensitivityOptions } from '../sensitivity/cli-options.js';
import type { CreateItemInput, ItemCategory } from './schema.js';
import * as service from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--marking serial:12345` → `{ kind: 'serial', text: '12345' }`; the text may itself contain ':'. */
function collectMarking(value: string, previous: CreateMarkingInput[]): CreateMarkingInput[] {
  const separator = value.indexOf(':');
  if (separator <= 0 || separator === value.length - 1) {
    throw new InvalidArgumentError('write a marking as KIND:TEXT, e.g. serial:12345 or lot:"12-85"');
  }
  return [...previous, { kind: value.slice(0, separator) as MarkingKind, text: value.slice(separator + 1) }];
}

interface ItemAddOptions extends SensitivityOptions {
  investigation: string;
  site: string;
  category: string;
  zone?: string;
  model?: string;
  quantity?: string;
  condition?: string;
  assemblyState?: string;
  productionType?: string;
  fuzeFitted?: string;
  safetyDeviceFitted?: string;
  observations?: string;
  tag: string[];
  ref?: string;
  marking: CreateMarkingInput[];
  json?: boolean;
}

/** The quantity as typed (digits of any script: `٤٠`, `۱۲`), read by the shared number reader; the service checks
 * its range. */
function readQuantity(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const result = readNumber(text, { whole: true });
  if (result.ok) return result.value;
  const message = numberProblemMessages[result.code];
  throw new DomainError('validation_failed', `quantity: "${text}" ${message}`, [
    { field: 'quantity', code: result.code, message, ...(result.params ? { params: result.params } : {}) },
  ]);
}

export function registerItemCommands(program: Command): void {
  const item = program.command('item').description('Items recovered at sites');

  addSensitivityOptions(item.command('add').description('Record an item, with the markings read on it'), 'create')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--site <id>', 'site where it was found')
    .requiredOption('--category <category>', 'small_arm, rocket, mortar_bomb, cartridges, packaging, … (see the API)')
    .option('--zone <id>', 'zone of the same site')
    .option('--model <model>', 'model or designation')
    .option('--quantity <n>', 'units counted (default 1)')
    .option('--condition <condition>', 'new, good, worn, corroded or damaged')
    .option('--assembly-state <state>', 'complete, incomplete or component')
    .option('--production-type <type>', 'factory, craft or unknown')
    .option(
      '--fuze-fitted <state>',
      'yes, no or unknown (unknown by default for rockets, mortar bombs, projectiles, bombs)',
    )
    .option('--safety-device-fitted <state>', 'yes, no or unknown')
    .option('--observations <text>', 'what was observed')
    .option('--tag <tag>', 'a tag (repeatable)', collect, [])
    .option('--ref <reference>', 'your own reference, unique in the investigation')
    .option('--marking <KIND:TEXT>', 'a marking read on the item (repeatable)', collectMarking, [])
    .option('--json', 'print JSON')
    .action(async (options: ItemAddOptions, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const input: CreateItemInput = {
          site_id: options.site,
          zone_id: options.zone,
          external_ref: options.ref,
          category: options.category as ItemCategory,
          model: options.model,
          quantity: readQuantity(options.quantity),
          condition: options.condition as CreateItemInput['condition'],
          assembly_state: options.assemblyState as CreateItemInput['assembly_state'],
          production_type: options.productionType as CreateItemInput['production_type'],
          fuze_fitted: options.fuzeFitted as CreateItemInput['fuze_fitted'],
          safety_device_fitted: options.safetyDeviceFitted as CreateItemInput['safety_device_fitted'],
          observations: options.observations,
          tags: options.tag,
          markings: options.marking,
          ...sensitivityFromOptions(options),
        };
        const created = await service.createItem(db, actor, options.investigation, input);
        if (options.json === true) return printJson(created);
        process.stdout.write(`Recorded item ${created.id} with ${created.markings.length} marking(s)\n`);
        if (created.fuze_fitted === 'yes' || created.fuze_fitted === 'unknown') {
          process.stdout.write(`Fuze fitted: ${created.fuze_fitted}. The item is on the hazard list.\n`);
        }
      });
    });

  addSensitivityOptions(
    item
      .command('update <id>')
      .description("Change an item's sensitivity (audited like every change)")
      .requiredOption('--version <n>', 'the version you read (from item show); a stale one is refused'),
    'update',
  )
    .option('--json', 'print JSON')
    .action(async (id: string, options: SensitivityOptions & { version: string; json?: boolean }, command: Command) => {
      const version = readNumber(options.version, { whole: true, minimum: 1 });
      if (!version.ok) throw new InvalidArgumentError('--version: give the version number shown by item show');
      await withSession(command, async ({ db, actor }) => {
        const updated = await service.updateItem(db, actor, id, {
          version: version.value,
          ...sensitivityFromOptions(options),
        });
        if (options.json === true) return printJson(updated);
        process.stdout.write(
          `Updated item ${updated.id} (version ${updated.version}): sensitivity ${updated.sensitivity}\n`,
        );
      });
    });

  addPageOptions(
    item
      .command('list')
      .description('List the items of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--site <id>', 'only items of this site')
      .option('--category <category>', 'only this category')
      .option('--hazardous', 'only items on the hazard list'),
  )
    .option('--include-archived', 'also list archived items')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          site?: string;
          category?: string;
          hazardous?: boolean;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const page = await service.listItems(db, actor, options.investigation, {
            site_id: options.site,
            category: options.category as ItemCategory | undefined,
            hazardous: options.hazardous === true,
            limit: Number(options.limit),
            after: options.after,
            sort: 'created',
            order: 'asc',
            include_archived: options.includeArchived === true,
          });
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'CATEGORY', value: (row) => row.category },
              { header: 'MODEL', value: (row) => row.model },
              { header: 'QTY', value: (row) => row.quantity },
              { header: 'CONDITION', value: (row) => row.condition },
              { header: 'FUZE', value: (row) => row.fuze_fitted },
              { header: 'DISPOSAL', value: (row) => row.disposal_status },
            ],
            'No items found. Record one with `armtrace item add --investigation ID --site ID --category C`.',
            options,
          );
        });
      },
    );

  item
    .command('show <id>')
    .description('Show an item with its markings')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const { markings, ...record } = await service.getItem(db, actor, id);
        if (options.json === true) return printJson({ ...record, markings });
        printRecord(record);
        process.stdout.write('\n');
        printTable(
          markings,
          [
            { header: 'MARKING', value: (row) => row.id },
            { header: 'KIND', value: (row) => row.kind },
            { header: 'TEXT', value: (row) => row.text },
            { header: 'POSITION', value: (row) => row.position },
            { header: 'LEGIBILITY', value: (row) => row.legibility },
          ],
          `No markings recorded. Add one with \`armtrace marking add ${id} --text "..." --kind serial\`.`,
        );
      });
    });

  program
    .command('hazards')
    .description('Items that may carry a fitted fuze and are not yet rendered safe or destroyed')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--json', 'print JSON')
    .action(async (options: { investigation: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const hazards = await service.listHazards(db, actor, options.investigation);
        if (options.json === true) return printJson({ items: hazards });
        printTable(
          hazards,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'SITE', value: (row) => row.site_name },
            { header: 'CATEGORY', value: (row) => row.category },
            { header: 'MODEL', value: (row) => row.model },
            { header: 'QTY', value: (row) => row.quantity },
            { header: 'FUZE', value: (row) => row.fuze_fitted },
            { header: 'DISPOSAL', value: (row) => row.disposal_status },
          ],
          'No items on the hazard list.',
        );
      });
    });
}
