import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { printJson } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { isLocale } from '../../i18n/messages.js';
import { parseProfileOptions, withProfileOptions } from './cli-profile.js';
import { exportFiles, formatOfFileName, openExport, type ExportFile } from './files.js';

/** Which formats each table can be written in; the first is the default for `-` (stdout). */
const tableFormats: Record<string, readonly string[]> = {
  items: ['csv', 'xlsx'],
  markings: ['csv'],
  sites: ['csv', 'geojson', 'kml'],
  hazards: ['csv', 'geojson'],
};

const descriptions: Record<string, string> = {
  items: 'Write the live items with their markings as CSV, or as XLSX (sheets items, markings, sites)',
  markings: 'Write the live markings, one per row, as CSV',
  sites: 'Write the live sites as CSV, GeoJSON or KML (sites without a point are left out of GeoJSON/KML, and counted)',
  hazards:
    'Write the hazard list for a clearance team as CSV or GeoJSON (items at sites without a point are left out of GeoJSON, and counted)',
};

function chooseFile(table: string, out: string, format: string | undefined): ExportFile {
  const formats = tableFormats[table]!;
  const chosen = (format ?? (out === '-' ? formats[0] : formatOfFileName(out)) ?? formats[0])!.toLowerCase();
  const file = `${table}.${chosen === 'json' ? 'geojson' : chosen}`;
  if (!(exportFiles as readonly string[]).includes(file)) {
    throw new DomainError('validation_failed', `${table} can be written as ${formats.join(', ')}, not "${chosen}".`, [
      { field: 'format', message: formats.join(', ') },
    ]);
  }
  return file as ExportFile;
}

/**
 * `armtrace export items|markings|sites|hazards <out>`: the tabular and map exports, streamed to a file (written
 * beside it, then renamed) or to stdout with `-`. The format comes from `--format` or the file's extension.
 */
export function registerExportFileCommands(exportCommand: Command): void {
  for (const table of Object.keys(tableFormats)) {
    withProfileOptions(exportCommand.command(`${table} <out>`))
      .description(descriptions[table]!)
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--format <format>', `${tableFormats[table]!.join(', ')}; by default from the file's extension`)
      .option('--lang <lang>', 'language of the labels written beside the codes: en, fr or ar', 'en')
      .option('--json', 'print a summary as JSON')
      .action(
        async (
          out: string,
          options: {
            investigation: string;
            format?: string;
            lang: string;
            json?: boolean;
            profile?: string;
            gridKm?: string;
          },
          command: Command,
        ) => {
          const file = chooseFile(table, out, options.format);
          const profile = parseProfileOptions(options);
          const lang = options.lang;
          if (!isLocale(lang)) {
            throw new DomainError('validation_failed', `Unknown language "${lang}": use en, fr or ar.`, [
              { field: 'lang', message: 'en, fr or ar' },
            ]);
          }
          await withSession(command, async ({ db, actor }) => {
            const opened = await openExport(db, actor, options.investigation, file, lang, profile);
            if (out === '-') {
              await pipeline(opened.stream, process.stdout, { end: false });
            } else {
              // Write beside the target, then rename: a reader never sees half a file.
              const temporary = `${out}.partial`;
              try {
                await pipeline(opened.stream, fs.createWriteStream(temporary, { flags: 'wx' }));
              } catch (error) {
                fs.rmSync(temporary, { force: true });
                throw error;
              }
              fs.renameSync(temporary, out);
            }
            const summary = {
              file: out,
              format: file.split('.')[1],
              profile: profile.profile,
              rows: opened.counter.rows,
              left_out_without_point: opened.leftOutWithoutPoint ?? null,
            };
            // With `-` the file is on stdout: the summary goes to stderr.
            if (options.json === true && out !== '-') return printJson(summary);
            const leftOut =
              opened.leftOutWithoutPoint === undefined
                ? ''
                : `; ${opened.leftOutWithoutPoint} left out for want of a point (listed in the CSV)`;
            const where = out === '-' ? 'stdout' : out;
            process.stderr.write(
              `Wrote ${summary.rows} ${table} rows as ${summary.format} (profile ${summary.profile}) to ${where}${leftOut}\n`,
            );
          });
        },
      );
  }
}
