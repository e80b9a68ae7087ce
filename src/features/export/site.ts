/**
 * The static public site (issue 13, item 3): an investigation under the `public` profile as a folder that works
 * opened from disk, with no server and no outside host. `index.html` is the report (public profile) with a map of
 * the generalised points drawn as inline SVG over the world's coastlines (world-atlas, bundled), links to the data
 * and the photo copies; `data/investigation.json` and `data/sites.geojson` are the public exports;
 * `photos/<sha256>.<ext>` are photo copies without metadata, linked to their originals' hashes in
 * `data/media-manifest.json`. Nothing is fetched when the page is opened: no script, no font, no tile.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { feature, mesh } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { DB } from '../../db/tables.js';
import { isRightToLeft, translate, type Locale, type MessageKey } from '../../i18n/messages.js';
import type { Actor } from '../access/schema.js';
import type { EvidenceStore } from '../../storage/evidence-store.js';
import { buildReportHtml } from '../report/service.js';
import { escapeHtml } from '../report/charts.js';
import { openExport } from './files.js';
import { DEFAULT_GRID_KM } from './grid.js';
import { makeMediaCopies } from './media-copies.js';
import { exportInvestigation, type InvestigationExport } from './service.js';

export interface PublicSiteOptions {
  lang: Locale;
  gridKm?: number | undefined;
  /** The time the site says it was made (the clock by default; fixed for reproducible copies). */
  now?: Date | undefined;
  /** The day the figures are measured on (YYYY-MM-DD); the day of `now` by default. */
  asOf?: string | undefined;
}

export interface PublicSiteResult {
  out: string;
  files: string[];
  sites: number;
  photos: number;
  withheld: number;
}

type Translate = (key: string, params?: Record<string, string | number>) => string;

interface GridPoint {
  latitude: number;
  longitude: number;
  count: number;
}

/** Published sites grouped by their cell centre: one dot per cell, sized by how many sites it holds. */
function gridPoints(document: InvestigationExport): GridPoint[] {
  const byCell = new Map<string, GridPoint>();
  for (const site of document.records.sites) {
    if (typeof site.latitude !== 'number' || typeof site.longitude !== 'number') continue;
    const key = `${site.latitude},${site.longitude}`;
    const point = byCell.get(key) ?? { latitude: site.latitude, longitude: site.longitude, count: 0 };
    point.count += 1;
    byCell.set(key, point);
  }
  return [...byCell.values()].sort((a, b) => a.latitude - b.latitude || a.longitude - b.longitude);
}

interface Outlines {
  land: [number, number][][];
  borders: [number, number][][];
}

let outlinesCache: Outlines | undefined;

function readTopology<K extends string>(name: string): Topology<Record<K, GeometryCollection>> {
  const file = createRequire(import.meta.url).resolve(`world-atlas/${name}`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Topology<Record<K, GeometryCollection>>;
}

/**
 * The world's land outlines and the borders between countries (Natural Earth 1:110m via world-atlas), as lines of
 * [longitude, latitude]. The borders tell the reader which country a dot is in when the frame holds no coast.
 */
function outlines(): Outlines {
  if (outlinesCache !== undefined) return outlinesCache;
  const landTopology = readTopology<'land'>('land-110m.json');
  const land: [number, number][][] = [];
  for (const item of feature(landTopology, landTopology.objects.land).features) {
    const geometry = item.geometry;
    const polygons =
      geometry.type === 'Polygon'
        ? [geometry.coordinates]
        : geometry.type === 'MultiPolygon'
          ? geometry.coordinates
          : [];
    for (const polygon of polygons) for (const ring of polygon) land.push(ring as [number, number][]);
  }
  const countries = readTopology<'countries'>('countries-110m.json');
  // Only the lines shared by two countries: the coasts are drawn with the land.
  const borders = mesh(countries, countries.objects.countries, (a, b) => a !== b).coordinates as [number, number][][];
  outlinesCache = { land, borders };
  return outlinesCache;
}

/** Degrees as a map label: 36°N, 43°E. */
function degreeLabel(value: number, positive: string, negative: string): string {
  return `${Math.abs(value)}°${value >= 0 ? positive : negative}`;
}

/**
 * An SVG map of the grid points over coastlines and borders, framed on the points (at least 20° wide, so a coast
 * or a neighbouring country is in view), with a graticule every 5° labelled at the edges. Drawn left to right
 * whatever the page's direction: a map is not mirrored.
 */
function mapSvg(points: GridPoint[], title: string): string {
  const width = 640;
  const height = 400;
  const latitudes = points.map((point) => point.latitude);
  const longitudes = points.map((point) => point.longitude);
  const centreLat = points.length === 0 ? 20 : (Math.max(...latitudes) + Math.min(...latitudes)) / 2;
  const centreLon = points.length === 0 ? 0 : (Math.max(...longitudes) + Math.min(...longitudes)) / 2;
  const spanLon = points.length === 0 ? 360 : Math.max(20, (Math.max(...longitudes) - Math.min(...longitudes)) * 1.5);
  const cosine = Math.cos((centreLat * Math.PI) / 180);
  const scale = width / (spanLon * cosine);
  const x = (longitude: number) => width / 2 + (longitude - centreLon) * cosine * scale;
  const y = (latitude: number) => height / 2 - (latitude - centreLat) * scale;
  const inView = (line: [number, number][]) =>
    line.some(([longitude, latitude]) => {
      const px = x(longitude);
      const py = y(latitude);
      return px > -width && px < 2 * width && py > -height && py < 2 * height;
    });
  const path = (lines: [number, number][][], close: boolean) =>
    lines
      .filter(inView)
      .map(
        (line) =>
          `M${line.map(([longitude, latitude]) => `${x(longitude).toFixed(1)},${y(latitude).toFixed(1)}`).join('L')}${close ? 'Z' : ''}`,
      )
      .join('');
  const { land, borders } = outlines();
  const step = spanLon > 90 ? 30 : 5;
  const meridians: number[] = [];
  for (let longitude = -180; longitude <= 180; longitude += step) {
    if (x(longitude) > 0 && x(longitude) < width) meridians.push(longitude);
  }
  const parallels: number[] = [];
  for (let latitude = -90; latitude <= 90; latitude += step) {
    if (y(latitude) > 0 && y(latitude) < height) parallels.push(latitude);
  }
  const graticule =
    meridians.map((longitude) => `M${x(longitude).toFixed(1)},0V${height}`).join('') +
    parallels.map((latitude) => `M0,${y(latitude).toFixed(1)}H${width}`).join('');
  const labels =
    meridians
      .map(
        (longitude) =>
          `<text x="${(x(longitude) + 4).toFixed(1)}" y="${height - 8}">${degreeLabel(longitude, 'E', 'W')}</text>`,
      )
      .join('') +
    parallels
      .map((latitude) => `<text x="6" y="${(y(latitude) - 6).toFixed(1)}">${degreeLabel(latitude, 'N', 'S')}</text>`)
      .join('');
  const dots = points
    .map(
      (point) =>
        `<circle cx="${x(point.longitude).toFixed(1)}" cy="${y(point.latitude).toFixed(1)}" r="${(8 + 3 * Math.sqrt(point.count)).toFixed(1)}" fill="#b91c1c" fill-opacity="0.85" stroke="#fff" stroke-width="2"><title>${point.latitude}, ${point.longitude} (${point.count})</title></circle>`,
    )
    .join('');
  return (
    `<svg class="site-map" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" direction="ltr">` +
    `<rect width="${width}" height="${height}" fill="#dbeafe"/>` +
    `<path d="${path(land, true)}" fill="#f8fafc" stroke="#475569" stroke-width="1" fill-rule="evenodd"/>` +
    `<path d="${path(borders, false)}" fill="none" stroke="#64748b" stroke-width="1" stroke-dasharray="4 3"/>` +
    `<path d="${graticule}" fill="none" stroke="#94a3b8" stroke-width="0.5" stroke-opacity="0.6"/>` +
    `<g font-family="sans-serif" font-size="18" fill="#334155" aria-hidden="true">${labels}</g>` +
    `${dots}</svg>`
  );
}

/** A published item as the site lists it: reference, category, model, units. */
function recordTables(document: InvestigationExport, lang: Locale, t: Translate): string {
  const itemsBySite = new Map<string, Record<string, unknown>[]>();
  for (const item of document.records.items) {
    const siteId = String(item.site_id);
    itemsBySite.set(siteId, [...(itemsBySite.get(siteId) ?? []), item]);
  }
  const text = (value: unknown) =>
    escapeHtml(typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  const label = (prefix: string, value: unknown) => {
    const key = `${prefix}.${String(value)}`;
    const translated = t(key);
    return translated === key ? text(value) : escapeHtml(translated);
  };
  const sites = [...document.records.sites].sort((a, b) => text(a.external_ref).localeCompare(text(b.external_ref)));
  if (sites.length === 0) return `<p>${escapeHtml(t('site.recordsNone'))}</p>`;
  return sites
    .map((site) => {
      const names = (site.names ?? {}) as Record<string, unknown>;
      const name = typeof names[lang] === 'string' ? names[lang] : site.name;
      const items = (itemsBySite.get(String(site.id)) ?? []).sort((a, b) =>
        text(a.external_ref).localeCompare(text(b.external_ref)),
      );
      const rows = items
        .map(
          (item) =>
            `<tr><td><bdi>${text(item.external_ref)}</bdi></td><td>${label('category', item.category)}</td><td>${text(item.model)}</td><td class="num">${text(item.quantity)}</td></tr>`,
        )
        .join('');
      return (
        `<h3>${text(name)} <bdi class="ref">${text(site.external_ref)}</bdi></h3>` +
        `<p>${escapeHtml(t('site.recordsCell', { latitude: String(site.latitude), longitude: String(site.longitude) }))}</p>` +
        (items.length === 0
          ? ''
          : `<table><thead><tr><th scope="col">${escapeHtml(t('site.recordsReference'))}</th><th scope="col">${escapeHtml(t('site.recordsCategory'))}</th><th scope="col">${escapeHtml(t('site.recordsModel'))}</th><th scope="col" class="num">${escapeHtml(t('site.recordsQuantity'))}</th></tr></thead><tbody>${rows}</tbody></table>`)
      );
    })
    .join('');
}

async function streamToString(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes the public site of an investigation into `out` (a new folder). Owners and editors only, as for every
 * public output.
 *
 * @example
 * await writePublicSite(db, store, actor, investigationId, { lang: 'ar', gridKm: 10 }, '/tmp/mosul-site');
 */
export async function writePublicSite(
  db: Kysely<DB>,
  store: EvidenceStore,
  actor: Actor,
  investigationId: string,
  options: PublicSiteOptions,
  out: string,
): Promise<PublicSiteResult> {
  const gridKm = options.gridKm ?? DEFAULT_GRID_KM;
  const profile = { profile: 'public' as const, gridKm };
  const now = options.now ?? new Date();
  const document = await exportInvestigation(db, actor, investigationId, profile);
  document.exported_at = now.toISOString();
  const report = await buildReportHtml(db, actor, investigationId, {
    lang: options.lang,
    asOf: options.asOf ?? now.toISOString().slice(0, 10),
    profile,
    now,
  });
  const geojson = await streamToString(
    (await openExport(db, actor, investigationId, 'sites.geojson', options.lang, profile)).stream,
  );
  const media = await makeMediaCopies(store, document.records.media, 'photos/');
  const t: Translate = (key, params) => translate(options.lang, key as MessageKey, params);
  const points = gridPoints(document);
  const siteCount = points.reduce((sum, point) => sum + point.count, 0);
  const photos = media.copies
    .map(
      (copy) =>
        `<figure><img src="${copy.path}" width="${copy.pixel_width}" height="${copy.pixel_height}" alt="" loading="lazy"><figcaption><bdi>${copy.original_sha256.slice(0, 16)}…</bdi></figcaption></figure>`,
    )
    .join('');
  const section =
    `<section class="public-site" dir="${isRightToLeft(options.lang) ? 'rtl' : 'ltr'}">` +
    // The report's tables are sized for a page; on a phone they shrink and wrap instead of widening the page.
    `<style>.site-map{width:100%;height:auto;border:1px solid #cbd5e1}.public-site figure{display:inline-block;margin:0 0 1rem;margin-inline-end:1rem;max-width:100%}.public-site img{max-width:100%;height:auto}.public-site .ref{color:#475569;font-weight:normal;font-size:.9em}` +
    `@media (max-width:600px){table{font-size:.72rem}th,td{padding:.25rem .2rem;overflow-wrap:anywhere;hyphens:auto}th.num{white-space:normal}.public-site th,.public-site td{overflow-wrap:normal}.public-site bdi{white-space:nowrap}}</style>` +
    `<h2>${escapeHtml(t('site.mapTitle'))}</h2>` +
    `<figure style="display:block">${mapSvg(points, t('site.mapTitle'))}<figcaption>${escapeHtml(t('site.siteCount', { count: siteCount }))}. ${escapeHtml(t('site.mapCaptionBorders', { km: gridKm }))}</figcaption></figure>` +
    (media.copies.length === 0 && media.withheld.length === 0
      ? ''
      : `<h2>${escapeHtml(t('site.photosTitle'))}</h2>${photos}` +
        (media.withheld.length === 0
          ? ''
          : `<p>${escapeHtml(t('site.photosWithheld', { count: media.withheld.length }))}</p>`)) +
    `<h2>${escapeHtml(t('site.recordsTitle'))}</h2>${recordTables(document, options.lang, t)}` +
    `<h2>${escapeHtml(t('site.downloads'))}</h2><ul>` +
    `<li><a href="data/investigation.json">${escapeHtml(t('site.downloadJson'))}</a></li>` +
    `<li><a href="data/sites.geojson">${escapeHtml(t('site.downloadGeoJson'))}</a></li></ul></section>`;
  const index = report.includes('</body>') ? report.replace('</body>', `${section}\n</body>`) : `${report}${section}`;
  await fsp.mkdir(out, { recursive: false });
  await fsp.mkdir(path.join(out, 'data'));
  const files: [string, Buffer | string][] = [
    ['index.html', index],
    ['data/investigation.json', `${JSON.stringify(document, null, 2)}\n`],
    ['data/sites.geojson', geojson],
    ['data/media-manifest.json', `${JSON.stringify({ copies: media.copies, withheld: media.withheld }, null, 2)}\n`],
  ];
  if (media.copies.length > 0) await fsp.mkdir(path.join(out, 'photos'));
  for (const copy of media.copies) files.push([copy.path, media.bytes.get(copy.sha256)!]);
  for (const [name, content] of files) await fsp.writeFile(path.join(out, name), content, { flag: 'wx' });
  return {
    out,
    files: files.map(([name]) => name).sort(),
    sites: siteCount,
    photos: media.copies.length,
    withheld: media.withheld.length,
  };
}
