/**
 * GeoJSON (RFC 7946) and KML 2.2 writers for tables whose rows have a point. Coordinates are WGS 84 as stored,
 * longitude first in GeoJSON and KML alike; the site's precision travels as the `precision_m` property. A row
 * without a point cannot be a feature: it is left out and counted by the caller (the API's
 * `armtrace-left-out` header, the CLI's message), never placed somewhere made up.
 */
import type { ProfileStatement } from './profiles.js';
import { outputColumns, type Cell, type ExportLanguage, type ExportTable } from './tabular.js';

export interface GeoAccessors<Row> {
  latitude: (row: Row) => number | null;
  longitude: (row: Row) => number | null;
  /** The placemark name in KML. */
  name: (row: Row) => string;
}

/** Position columns are the geometry itself, not repeated as properties. */
const positionColumns = new Set(['latitude', 'longitude']);

function pointOf<Row>(row: Row, geo: GeoAccessors<Row>): [number, number] | undefined {
  const latitude = geo.latitude(row);
  const longitude = geo.longitude(row);
  if (latitude === null || longitude === null) return undefined;
  return [longitude, latitude];
}

/**
 * A table as a GeoJSON FeatureCollection, chunk by chunk: one Point feature per row with a point, every column
 * (controlled values as code and label) as a property.
 *
 * @example
 * for await (const chunk of geoJsonChunks(sitesTable(db, id), siteGeo, 'ar', counter)) output.write(chunk);
 */
export async function* geoJsonChunks<Row>(
  table: ExportTable<Row>,
  geo: GeoAccessors<Row>,
  lang: ExportLanguage,
  counter: { rows: number; leftOut: number },
  profile: ProfileStatement,
): AsyncGenerator<string> {
  const columns = outputColumns(table.columns, lang).filter((column) => !positionColumns.has(column.name));
  // A foreign member (RFC 7946 §6.1): the profile that made the file, and how exact its points are.
  yield `{"type":"FeatureCollection","armtrace_profile":${JSON.stringify(profile)},"features":[\n`;
  let buffered = '';
  let first = true;
  for await (const row of table.rows) {
    const point = pointOf(row, geo);
    if (point === undefined) {
      counter.leftOut += 1;
      continue;
    }
    const properties: Record<string, Cell> = {};
    for (const column of columns) properties[column.name] = column.value(row);
    const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties };
    buffered += `${first ? '' : ',\n'}${JSON.stringify(feature)}`;
    first = false;
    counter.rows += 1;
    if (buffered.length >= 65_536) {
      yield buffered;
      buffered = '';
    }
  }
  yield `${buffered}\n]}\n`;
}

/** Characters XML 1.0 cannot carry at all, even escaped (C0 controls other than tab, LF, CR; lone surrogates). */
const notXml =
  // eslint-disable-next-line no-control-regex -- these control characters are exactly what is looked for
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text escaped for XML content and attribute values. A character XML cannot carry is refused, never dropped or
 * replaced: the export must not alter evidence silently.
 *
 * @example
 * xmlEscape('Tom & "Jerry" <b>') // 'Tom &amp; &quot;Jerry&quot; &lt;b&gt;'
 */
export function xmlEscape(text: string): string {
  if (notXml.test(text)) {
    throw new Error(`a value holds a control character that XML cannot carry: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/**
 * A table as a KML 2.2 document, chunk by chunk: one Placemark per row with a point, named after the row, its
 * columns in an ExtendedData table (`<Data name="…"><value>…</value></Data>`, which QGIS and ogr2ogr read as
 * fields).
 *
 * @example
 * for await (const chunk of kmlChunks(sitesTable(db, id), siteGeo, 'Mosul', 'en', counter)) output.write(chunk);
 */
export async function* kmlChunks<Row>(
  table: ExportTable<Row>,
  geo: GeoAccessors<Row>,
  documentName: string,
  lang: ExportLanguage,
  counter: { rows: number; leftOut: number },
  profile: ProfileStatement,
): AsyncGenerator<string> {
  const columns = outputColumns(table.columns, lang);
  const coordinates = profile.coordinates.kind === 'grid' ? `; coordinates: ${profile.coordinates.method}` : '';
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n<Document>\n' +
    `<name>${xmlEscape(documentName)}</name>\n` +
    `<description>${xmlEscape(`armtrace export profile: ${profile.name}${coordinates}`)}</description>\n`
  );
  let buffered = '';
  for await (const row of table.rows) {
    const point = pointOf(row, geo);
    if (point === undefined) {
      counter.leftOut += 1;
      continue;
    }
    const data = columns
      .map((column) => {
        const value = column.value(row);
        return `<Data name="${column.name}"><value>${value === null ? '' : xmlEscape(String(value))}</value></Data>`;
      })
      .join('');
    buffered +=
      `<Placemark><name>${xmlEscape(geo.name(row))}</name><ExtendedData>${data}</ExtendedData>` +
      `<Point><coordinates>${point[0]},${point[1]}</coordinates></Point></Placemark>\n`;
    counter.rows += 1;
    if (buffered.length >= 65_536) {
      yield buffered;
      buffered = '';
    }
  }
  yield `${buffered}</Document>\n</kml>\n`;
}
