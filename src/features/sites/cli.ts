import { InvalidArgumentError, type Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson, printRecord, printTable } from '../../cli/output.js';
import { siteListQuerySchema, siteTypes, type SiteType } from './schema.js';
import * as service from './service.js';

function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError('give a number, e.g. 36.34');
  return number;
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
    .option('--lat <degrees>', 'WGS84 latitude', parseNumber)
    .option('--lon <degrees>', 'WGS84 longitude', parseNumber)
    .option('--precision <metres>', 'how far off the point may be, in metres', parseNumber)
    .option('--ref <ref>', 'your own reference, unique in the investigation')
    .option('--recovered-by <who>', 'who recovered the material')
    .option('--recovered-on <date>', 'day of recovery, YYYY-MM-DD')
    .option('--context <text>', 'circumstances of the find', '')
    .option('--json', 'print JSON')
    .action(
      async (
        options: {
          investigation: string;
          name: string;
          type: string;
          altName: Record<string, string>;
          lat?: number;
          lon?: number;
          precision?: number;
          ref?: string;
          recoveredBy?: string;
          recoveredOn?: string;
          context: string;
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
            precision_m: options.precision,
            external_ref: options.ref,
            recovered_by: options.recoveredBy,
            recovered_on: options.recoveredOn,
            context: options.context,
          });
          if (options.json === true) printJson(created);
          else process.stdout.write(`Created site ${created.id} (${created.name})\n`);
        });
      },
    );

  site
    .command('list')
    .description('List the sites of an investigation')
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--type <type>', `only this site type: ${siteTypes.join(', ')}`)
    .option('--q <text>', 'part of the name (any language), case-insensitive')
    .option('--bbox <minLon,minLat,maxLon,maxLat>', 'only sites inside this box')
    .option('--limit <n>', 'rows per page', '50')
    .option('--after <id>', 'continue after this id (from the previous page)')
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
          if (options.json === true) return printJson(page);
          printTable(
            page.items,
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
          );
          if (page.next_after !== null) process.stdout.write(`More: --after ${page.next_after}\n`);
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
