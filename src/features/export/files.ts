/**
 * The files an investigation can be exported as, besides the JSON export and the bag: tables as CSV and XLSX,
 * sites and the hazard list on a map as GeoJSON and KML. Each is opened as a stream once access is checked
 * (viewer or above, as for the JSON export), and read page by page while it is sent.
 */
import { Readable, PassThrough } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { clearanceFor } from '../sensitivity/service.js';
import { getInvestigation } from '../investigations/service.js';
import { hazardsTable, itemsTable, markingsTable, sitesTable } from './datasets.js';
import { geoJsonChunks, kmlChunks, type GeoAccessors } from './geo.js';
import { anyTable, csvChunks, type ExportLanguage } from './tabular.js';
import { countHazardsWithoutPoint, countSitesWithoutPoint } from './tabular-repository.js';
import type { HazardExportRow, SiteExportRow } from './tabular-repository.js';
import { writeXlsx, xlsxContentType } from './xlsx.js';

export const exportFiles = [
  'items.csv',
  'markings.csv',
  'sites.csv',
  'hazards.csv',
  'items.xlsx',
  'sites.geojson',
  'sites.kml',
  'hazards.geojson',
] as const;
export type ExportFile = (typeof exportFiles)[number];

export const csvContentType = 'text/csv; charset=utf-8; header=present';
export const geoJsonContentType = 'application/geo+json';
export const kmlContentType = 'application/vnd.google-earth.kml+xml';

export interface OpenedExport {
  fileName: string;
  contentType: string;
  /** For GeoJSON and KML: how many rows have no point and are left out; known before the first byte. */
  leftOutWithoutPoint: number | undefined;
  /** Counted while the file is written: rows written and (GeoJSON, KML) rows left out. */
  counter: { rows: number; leftOut: number };
  stream: Readable;
}

const siteGeo: GeoAccessors<SiteExportRow> = {
  latitude: (row) => row.latitude,
  longitude: (row) => row.longitude,
  name: (row) => row.name,
};

const hazardGeo: GeoAccessors<HazardExportRow> = {
  latitude: (row) => row.latitude,
  longitude: (row) => row.longitude,
  name: (row) => row.external_ref ?? row.id,
};

function textStream(chunks: AsyncIterable<string>): Readable {
  async function* bytes() {
    for await (const chunk of chunks) yield Buffer.from(chunk, 'utf8');
  }
  return Readable.from(bytes(), { objectMode: false });
}

/**
 * Opens one export file of an investigation as a stream, with its media type, file name and (for map formats)
 * the number of rows left out for lack of a point. Access is checked before anything is read.
 *
 * @example
 * const opened = await openExport(db, actor, investigationId, 'sites.kml', 'ar');
 * await pipeline(opened.stream, fs.createWriteStream('sites.kml'));
 * console.log(opened.counter.rows, opened.leftOutWithoutPoint);
 */
export async function openExport(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  file: ExportFile,
  lang: ExportLanguage,
): Promise<OpenedExport> {
  await requireRole(db, actor, investigationId, 'viewer');
  const clearance = await clearanceFor(db, actor, investigationId);
  const counter = { rows: 0, leftOut: 0 };
  const [base, extension] = file.split('.') as [string, string];
  const fileName = `${base}-${investigationId}-${lang}.${extension}`;
  const opened = (contentType: string, stream: Readable, leftOutWithoutPoint?: number): OpenedExport => ({
    fileName,
    contentType,
    leftOutWithoutPoint,
    counter,
    stream,
  });
  switch (file) {
    case 'items.csv':
      return opened(csvContentType, textStream(csvChunks(itemsTable(db, investigationId, clearance), lang, counter)));
    case 'markings.csv':
      return opened(
        csvContentType,
        textStream(csvChunks(markingsTable(db, investigationId, clearance), lang, counter)),
      );
    case 'sites.csv':
      return opened(csvContentType, textStream(csvChunks(sitesTable(db, investigationId, clearance), lang, counter)));
    case 'hazards.csv':
      return opened(csvContentType, textStream(csvChunks(hazardsTable(db, investigationId, clearance), lang, counter)));
    case 'items.xlsx': {
      const output = new PassThrough();
      const tables = [
        anyTable(itemsTable(db, investigationId, clearance)),
        anyTable(markingsTable(db, investigationId, clearance)),
        anyTable(sitesTable(db, investigationId, clearance)),
      ];
      writeXlsx(tables, lang, output, counter).catch((error: unknown) => {
        output.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      return opened(xlsxContentType, output);
    }
    case 'sites.geojson': {
      const leftOut = await countSitesWithoutPoint(db, investigationId);
      const chunks = geoJsonChunks(sitesTable(db, investigationId, clearance), siteGeo, lang, counter);
      return opened(geoJsonContentType, textStream(chunks), leftOut);
    }
    case 'sites.kml': {
      const leftOut = await countSitesWithoutPoint(db, investigationId);
      const { title } = await getInvestigation(db, actor, investigationId);
      const chunks = kmlChunks(sitesTable(db, investigationId, clearance), siteGeo, title, lang, counter);
      return opened(kmlContentType, textStream(chunks), leftOut);
    }
    case 'hazards.geojson': {
      const leftOut = await countHazardsWithoutPoint(db, investigationId);
      const chunks = geoJsonChunks(hazardsTable(db, investigationId, clearance), hazardGeo, lang, counter);
      return opened(geoJsonContentType, textStream(chunks), leftOut);
    }
  }
}

/** The format a file name asks for, from its extension (for the CLI). */
export function formatOfFileName(name: string): string | undefined {
  const match = /\.([a-z]+)$/i.exec(name);
  return match?.[1]?.toLowerCase();
}
