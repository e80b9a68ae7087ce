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
import { feature } from 'topojson-client';
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

let landCache: [number, number][][] | undefined;

/** The world's land outlines (Natural Earth 1:110m via world-atlas), as rings of [longitude, latitude]. */
function landRings(): [number, number][][] {
  if (landCache !== undefined) return landCache;
  const file = createRequire(import.meta.url).resolve('world-atlas/land-110m.json');
  const topology = JSON.parse(fs.readFileSync(file, 'utf8')) as Topology<{ land: GeometryCollection }>;
  const land = feature(topology, topology.objects.land);
  const rings: [number, number][][] = [];
  for (const item of land.features) {
    const geometry = item.geometry;
    const polygons =
      geometry.type === 'Polygon'
        ? [geometry.coordinates]
        : geometry.type === 'MultiPolygon'
          ? geometry.coordinates
          : [];
    for (const polygon of polygons) for (const ring of polygon) rings.push(ring as [number, number][]);
  }
  landCache = rings;
  return rings;
}

/** An SVG map of the grid points over the coastlines, framed on the points (at least 6° wide). */
function mapSvg(points: GridPoint[], title: string): string {
  const width = 640;
  const height = 400;
  const latitudes = points.map((point) => point.latitude);
  const longitudes = points.map((point) => point.longitude);
  const centreLat = points.length === 0 ? 20 : (Math.max(...latitudes) + Math.min(...latitudes)) / 2;
  const centreLon = points.length === 0 ? 0 : (Math.max(...longitudes) + Math.min(...longitudes)) / 2;
  const spanLon = points.length === 0 ? 360 : Math.max(6, (Math.max(...longitudes) - Math.min(...longitudes)) * 1.5);
  const cosine = Math.cos((centreLat * Math.PI) / 180);
  const scale = width / (spanLon * cosine);
  const x = (longitude: number) => width / 2 + (longitude - centreLon) * cosine * scale;
  const y = (latitude: number) => height / 2 - (latitude - centreLat) * scale;
  const visible = (ring: [number, number][]) =>
    ring.some(([longitude, latitude]) => {
      const px = x(longitude);
      const py = y(latitude);
      return px > -width && px < 2 * width && py > -height && py < 2 * height;
    });
  const land = landRings()
    .filter(visible)
    .map(
      (ring) =>
        `M${ring.map(([longitude, latitude]) => `${x(longitude).toFixed(1)},${y(latitude).toFixed(1)}`).join('L')}Z`,
    )
    .join('');
  const dots = points
    .map(
      (point) =>
        `<circle cx="${x(point.longitude).toFixed(1)}" cy="${y(point.latitude).toFixed(1)}" r="${(6 + 3 * Math.sqrt(point.count)).toFixed(1)}" fill="#b91c1c" fill-opacity="0.75" stroke="#fff" stroke-width="1.5"><title>${point.latitude}, ${point.longitude} (${point.count})</title></circle>`,
    )
    .join('');
  return (
    `<svg class="site-map" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg">` +
    `<rect width="${width}" height="${height}" fill="#dbeafe"/>` +
    `<path d="${land}" fill="#f1f5f9" stroke="#64748b" stroke-width="0.7" fill-rule="evenodd"/>` +
    `${dots}</svg>`
  );
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
  const t = (key: string, params?: Record<string, string | number>) =>
    translate(options.lang, key as MessageKey, params);
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
    `<style>.site-map{width:100%;height:auto;border:1px solid #cbd5e1}.public-site figure{display:inline-block;margin:0 0 1rem;margin-inline-end:1rem;max-width:100%}.public-site img{max-width:100%;height:auto}</style>` +
    `<h2>${escapeHtml(t('site.mapTitle'))}</h2>` +
    `<figure style="display:block">${mapSvg(points, t('site.mapTitle'))}<figcaption>${escapeHtml(t('site.siteCount', { count: siteCount }))}. ${escapeHtml(t('site.mapCaption', { km: gridKm }))}</figcaption></figure>` +
    (media.copies.length === 0 && media.withheld.length === 0
      ? ''
      : `<h2>${escapeHtml(t('site.photosTitle'))}</h2>${photos}` +
        (media.withheld.length === 0
          ? ''
          : `<p>${escapeHtml(t('site.photosWithheld', { count: media.withheld.length }))}</p>`)) +
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
