import { InvalidArgumentError, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { addPageOptions, printJson, printPage, printRecord, printTable } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { numberProblemMessages, readNumber } from '../../parsing/numbers.js';
import { siteListQuerySchema, siteTypes, type SiteType } from './schema.js';
import * as service from './service.js';
import { sensitivityLevels, type SensitivityLevel } from '../sensitivity/schema.js';

/**
 * The precision in metres as typed (digits of any script, a decimal point or comma), read by the shared number
 * reader and refused with the field's name and code when it cannot be read exactly; the service checks its range.
 */
function readPrecision(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const result = readNumber(text);
  if (result.ok) return result.value;
  const message = numberProblemMessages[result.code];
  throw new DomainError('validation_failed', `precision_m: "${text}" ${message}`, [
    { field: 'precision_m', code: result.code, message, ...(result.params ? { params: result.params } : {}) },
  ]);
}

/** `--alt-name ar=مخزن` may be repeated, one language each. */
function collectName(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator < 1) throw new InvalidArgumentError('give LANG=NAME, e.g. ar=مخزن');
  return { ...previous, [value.slice(0, separator).trim()]: value.slice(separator + 1) };
}

function describeLocation(site: { latitude: number | null; longitude: number | null; precision_m: number | null }) {
  if (site.latitude === null || site.longitude === null) return '';
  const precision = site.precision_m === null ? '' : ` ±${site.precision_m} m`;
  return `${site.latitude}, ${site.longitude}${precision}`;
}

export function registerSiteCommands(program: Command): void {
  const site = program.command('site').description('Sites (caches, workshops, depots…) and the zones inside them');

  site
    .command('add')
    .description('Record a site in an investigation')
    .requiredOption('--investigation <id>', 'investigation id')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--type <type>', `site type: ${siteTypes.join(', ')}`)
    .option('--alt-name <lang=name>', 'name in another language (repeatable), e.g. ar=…', collectName, {})
    .option('--lat <degrees>', 'WGS84 latitude in any common spelling, e.g. 36.3412, 36,3412 or 36°21\'04"N')
    .option('--lon <degrees>', 'WGS84 longitude in any common spelling, e.g. 43.1789 or 43°10\'44"E')
    .option('--location <"lat, lon">', 'latitude and longitude pasted together, e.g. "36.3412, 43.1789"')
    .option('--precision <metres>', 'how far off the point may be, in metres')
    .option('--ref <ref>', 'your own reference, unique in the investigation')
    .option('--recovered-by <who>', 'who recovered the material')
    .option('--recovered-on <date>', 'day of recovery, YYYY-MM-DD')
    .option('--context <text>', 'circumstances of the find', '')
    .option('--sensitivity <level>', `who may see it: ${sensitivityLevels.join(', ')} (default: the investigation's)`)
    .option('--sensitivity-reason <text>', 'why it has this sensitivity (required for restricted)')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          name: string;
          type: string;
          altName: Record<string, string>;
          lat?: string;
          lon?: string;
          location?: string;
          precision?: string;
          ref?: string;
          recoveredBy?: string;
          recoveredOn?: string;
          context: string;
          sensitivity?: string;
          sensitivityReason?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const created = await service.createSite(db, actor, options.investigation, {
            site_type: options.type as SiteType,
            name: options.name,
            names: options.altName,
            latitude: options.lat,
            longitude: options.lon,
            location: options.location,
            precision_m: readPrecision(options.precision),
            external_ref: options.ref,
            recovered_by: options.recoveredBy,
            recovered_on: options.recoveredOn,
            context: options.context,
            sensitivity: options.sensitivity as SensitivityLevel | undefined,
            sensitivity_reason: options.sensitivityReason,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Created site ${created.id} (${created.name})\n`);
        });
      },
    );

  site
    .command('update <id>')
    .description("Correct a site's name or location (audited like every change)")
    .requiredOption('--version <n>', 'the version you read (from site show); a stale one is refused')
    .option('--name <name>', 'new name')
    .option('--lat <degrees>', 'WGS84 latitude in any common spelling, e.g. 36.3412 or 36°21\'04"N')
    .option('--lon <degrees>', 'WGS84 longitude in any common spelling, e.g. 43.1789 or 43°10\'44"E')
    .option('--location <"lat, lon">', 'latitude and longitude pasted together, e.g. "36.3412, 43.1789"')
    .option('--precision <metres>', 'how far off the point may be, in metres')
    .option('--clear-location', 'remove the point and its precision')
    .option('--sensitivity <level>', `who may see it: ${sensitivityLevels.join(', ')}`)
    .option('--sensitivity-reason <text>', 'why it has this sensitivity (required for restricted)')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        options: {
          version: string;
          name?: string;
          lat?: string;
          lon?: string;
          location?: string;
          precision?: string;
          clearLocation?: boolean;
          sensitivity?: string;
          sensitivityReason?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const version = readNumber(options.version, { whole: true, minimum: 1 });
        if (!version.ok) throw new InvalidArgumentError('--version: give the version number shown by site show');
        await withSession(command, async ({ db, actor }) => {
          const cleared = options.clearLocation === true;
          const updated = await service.updateSite(db, actor, id, {
            version: version.value,
            ...(options.name === undefined ? {} : { name: options.name }),
            ...(cleared ? { location: null, precision_m: null } : {}),
            ...(options.lat === undefined ? {} : { latitude: options.lat }),
            ...(options.lon === undefined ? {} : { longitude: options.lon }),
            ...(options.location === undefined ? {} : { location: options.location }),
            ...(options.precision === undefined ? {} : { precision_m: readPrecision(options.precision) }),
            ...(options.sensitivity === undefined ? {} : { sensitivity: options.sensitivity as SensitivityLevel }),
            ...(options.sensitivityReason === undefined ? {} : { sensitivity_reason: options.sensitivityReason }),
          });
          if (options.json === true) printJson(updated);
          else
            process.stdout.write(
              `Updated site ${updated.id} (version ${updated.version}): ${describeLocation(updated)}\n`,
            );
        });
      },
    );

  addPageOptions(
    site
      .command('list')
      .description('List the sites of an investigation')
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--type <type>', `only this site type: ${siteTypes.join(', ')}`)
      .option('--q <text>', 'part of the name (any language), case-insensitive')
      .option('--bbox <minLon,minLat,maxLon,maxLat>', 'only sites inside this box'),
  )
    .option('--include-archived', 'also list archived sites')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          type?: string;
          q?: string;
          bbox?: string;
          limit: string;
          after?: string;
          includeArchived?: boolean;
          json?: boolean;
        },
        command: Command,
      ) => {
        await withSession(command, async ({ db, actor }) => {
          const query = siteListQuerySchema.parse({
            site_type: options.type,
            q: options.q,
            bbox: options.bbox,
            limit: options.limit,
            after: options.after,
            include_archived: options.includeArchived === true ? 'true' : 'false',
          });
          const page = await service.listSites(db, actor, options.investigation, query);
          printPage(
            page,
            [
              { header: 'ID', value: (row) => row.id },
              { header: 'REF', value: (row) => row.external_ref },
              { header: 'TYPE', value: (row) => row.site_type },
              { header: 'NAME', value: (row) => row.name },
              { header: 'LOCATION', value: (row) => describeLocation(row) },
              { header: 'RECOVERED', value: (row) => row.recovered_on },
              { header: 'ARCHIVED', value: (row) => (row.archived_at === null ? '' : 'yes') },
            ],
            `No sites match. Add one with \`armtrace site add --investigation ${options.investigation} --name "..." --type cache\`.`,
            options,
          );
        });
      },
    );

  site
    .command('show <id>')
    .description('Show a site with its zones')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const record = await service.getSite(db, actor, id);
        const zones = await service.listZones(db, actor, id, { limit: 500, after: undefined, include_archived: false });
        if (options.json === true) return printJson({ ...record, zones: zones.items });
        printRecord(record);
        process.stdout.write('\n');
        printTable(
          zones.items,
          [
            { header: 'ZONE', value: (row) => row.id },
            { header: 'NAME', value: (row) => row.name },
            { header: 'DESCRIPTION', value: (row) => row.description },
          ],
          `No zones yet. Add one with \`armtrace site zone-add ${id} --name "..."\`.`,
        );
        if (zones.next_after !== null) process.stdout.write('More zones: use the API to page through them.\n');
      });
    });

  site
    .command('zone-add <siteId>')
    .description('Add a zone (an area inside the site, e.g. "rocket area")')
    .requiredOption('--name <name>', 'zone name')
    .option('--description <text>', 'description', '')
    .option('--json', 'print JSON')
    .action(
      async (siteId: string, options: { name: string; description: string; json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor }) => {
          const zone = await service.createZone(db, actor, siteId, {
            name: options.name,
            description: options.description,
          });
          if (options.json === true) printJson(zone);
          else process.stdout.write(`Created zone ${zone.id} (${zone.name}) in site ${siteId}\n`);
        });
      },
    );
}
