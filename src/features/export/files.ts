/**
 * The files an investigation can be exported as, besides the JSON export and the bag: tables as CSV and XLSX,
 * sites and the hazard list on a map as GeoJSON and KML. Each is opened as a stream once access is checked
 * (viewer or above, as for the JSON export), and read page by page while it is sent.
 */
import { Readable, PassThrough } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Actor } from '../access/schema.js';
import { getInvestigation } from '../investigations/service.js';
import { hazardsTable, itemsTable, markingsTable, sitesTable } from './datasets.js';
import { geoJsonChunks, kmlChunks, type GeoAccessors } from './geo.js';
import { anyTable, csvChunks, type ExportLanguage } from './tabular.js';
import { countHazardsWithoutPoint, countSitesWithoutPoint } from './tabular-repository.js';
import type { HazardExportRow, SiteExportRow } from './tabular-repository.js';
import { writeXlsx, xlsxContentType } from './xlsx.js';
import { generalisePoint } from './grid.js';
import { profiledTable, tabularScope, type TabularScope } from './profiled-tables.js';
import { profileFileSuffix, profileStatement, type ProfileOptions, type ProfileStatement } from './profiles.js';
import { requireProfileAccess } from './service.js';

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
  /** The profile that made the file (also in its name, and in the GeoJSON and KML themselves). */
  profile: ProfileStatement;
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

/** The geo accessors of a profile: points on the grid for `public`. */
function profiledGeo<Row>(geo: GeoAccessors<Row>, scope: TabularScope | undefined): GeoAccessors<Row> {
  if (scope === undefined || !scope.definition.grid) return geo;
  const centre = (row: Row) => {
    const latitude = geo.latitude(row);
    const longitude = geo.longitude(row);
    return latitude === null || longitude === null ? undefined : generalisePoint(latitude, longitude, scope.cellKm);
  };
  return {
    ...geo,
    latitude: (row) => centre(row)?.latitude ?? null,
    longitude: (row) => centre(row)?.longitude ?? null,
  };
}

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
  profile: ProfileOptions = { profile: 'internal' },
): Promise<OpenedExport> {
  const context = await requireProfileAccess(db, actor, investigationId, profile.profile);
  const scope = await tabularScope(db, investigationId, profile, context);
  const statement = profileStatement(profile);
  const counter = { rows: 0, leftOut: 0 };
  const [base, extension] = file.split('.') as [string, string];
  const fileName = `${base}-${investigationId}-${lang}${profileFileSuffix(profile.profile)}.${extension}`;
  const items = () =>
    profiledTable(
      itemsTable(db, investigationId, context.clearance, (id) => scope === undefined || scope.markings.has(id)),
      scope,
      'items',
      (row) => row.id,
    );
  const markings = () =>
    profiledTable(markingsTable(db, investigationId, context.clearance), scope, 'markings', (row) => row.id);
  const hazards = () =>
    profiledTable(
      hazardsTable(db, investigationId, context.clearance),
      scope,
      'items',
      (row) => row.id,
      (row) => [row.latitude, row.longitude],
    );
  const sitePoints = () =>
    profiledTable(
      sitesTable(db, investigationId, context.clearance),
      scope,
      'sites',
      (row) => row.id,
      (row) => [row.latitude, row.longitude],
    );
  const opened = (contentType: string, stream: Readable, leftOutWithoutPoint?: number): OpenedExport => ({
    profile: statement,
    fileName,
    contentType,
    leftOutWithoutPoint,
    counter,
    stream,
  });
  switch (file) {
    case 'items.csv':
      return opened(csvContentType, textStream(csvChunks(items(), lang, counter)));
    case 'markings.csv':
      return opened(csvContentType, textStream(csvChunks(markings(), lang, counter)));
    case 'sites.csv':
      return opened(csvContentType, textStream(csvChunks(sitePoints(), lang, counter)));
    case 'hazards.csv':
      return opened(csvContentType, textStream(csvChunks(hazards(), lang, counter)));
    case 'items.xlsx': {
      const output = new PassThrough();
      const tables = [anyTable(items()), anyTable(markings()), anyTable(sitePoints())];
      writeXlsx(tables, lang, output, counter, profile.profile).catch((error: unknown) => {
        output.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      return opened(xlsxContentType, output);
    }
    case 'sites.geojson': {
      const leftOut = scope?.sitesWithoutPoint ?? (await countSitesWithoutPoint(db, investigationId));
      const chunks = geoJsonChunks(sitePoints(), profiledGeo(siteGeo, scope), lang, counter, statement);
      return opened(geoJsonContentType, textStream(chunks), leftOut);
    }
    case 'sites.kml': {
      const leftOut = scope?.sitesWithoutPoint ?? (await countSitesWithoutPoint(db, investigationId));
      const { title } = await getInvestigation(db, actor, investigationId);
      const chunks = kmlChunks(sitePoints(), profiledGeo(siteGeo, scope), title, lang, counter, statement);
      return opened(kmlContentType, textStream(chunks), leftOut);
    }
    case 'hazards.geojson': {
      const leftOut = scope?.hazardsWithoutPoint ?? (await countHazardsWithoutPoint(db, investigationId));
      const chunks = geoJsonChunks(hazards(), profiledGeo(hazardGeo, scope), lang, counter, statement);
      return opened(geoJsonContentType, textStream(chunks), leftOut);
    }
  }
}

/** The format a file name asks for, from its extension (for the CLI). */
export function formatOfFileName(name: string): string | undefined {
  const match = /\.([a-z]+)$/i.exec(name);
  return match?.[1]?.toLowerCase();
}
