import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { clientRecordIdSchema } from '../../db/record-ids.js';
import { polygonProblems } from './area.js';

export const siteTypes = [
  'cache',
  'production_workshop',
  'storage_depot',
  'incident_scene',
  'checkpoint',
  'other',
] as const;
export const siteTypeSchema = z.enum(siteTypes).describe('What kind of place the site is');
export type SiteType = z.infer<typeof siteTypeSchema>;

const latitudeSchema = z.number().min(-90).max(90).describe('WGS84 latitude in decimal degrees');
const longitudeSchema = z.number().min(-180).max(180).describe('WGS84 longitude in decimal degrees');

/** A site's name in other languages, keyed by language code, e.g. `{"ar": "…", "en": "…"}`. */
export const namesSchema = z
  .record(
    z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a language code such as "ar" or "en"'),
    storedText().min(1).max(300),
  )
  .describe('Names by language code, e.g. {"ar": "…", "en": "…"}');
export type SiteNames = z.infer<typeof namesSchema>;

// GeoJSON (RFC 7946) positions are [longitude, latitude], in that order.
const positionSchema = z.tuple([longitudeSchema, latitudeSchema]).describe('[longitude, latitude]');
const ringPositionsSchema = z
  .array(positionSchema)
  .min(4, 'a ring needs at least 4 positions (the first repeated as the last)');
const isClosed = (ring: [number, number][]) => {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
};
const notClosed = 'a ring must be closed: its last position must equal its first';
const linearRingSchema = ringPositionsSchema.refine(isClosed, notClosed);
// The polygon check is quadratic in a ring's positions, so a ring as given is limited to 5,000 of them.
const givenRingSchema = ringPositionsSchema
  .max(5000, 'a ring may have at most 5,000 positions')
  .refine(isClosed, notClosed);

const polygonCoordinatesShape = z.array(linearRingSchema).min(1, 'a polygon needs an outer ring');
// What is accepted: rings that enclose an area, do not cross or touch themselves, holes inside the outer ring.
const polygonCoordinatesSchema = z
  .array(givenRingSchema)
  .min(1, 'a polygon needs an outer ring')
  .superRefine((rings, context) => {
    for (const problem of polygonProblems(rings)) {
      context.addIssue({
        code: 'custom',
        path: [problem.ring],
        message: problem.message,
        params: { code: problem.code, ring: problem.ring },
      });
    }
  });

const areaShape = (coordinates: z.ZodType<[number, number][][]>) =>
  z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('Polygon'), coordinates }),
      z.object({
        type: z.literal('MultiPolygon'),
        coordinates: z.array(coordinates).min(1, 'a multipolygon needs at least one polygon'),
      }),
    ])
    .describe('The site’s outline as a GeoJSON Polygon or MultiPolygon geometry');

/** An outline as given: each polygon valid (closed rings enclosing an area, not crossing themselves, holes inside). */
export const areaSchema = areaShape(polygonCoordinatesSchema);
/** An outline as stored, for responses: rows written before the polygon rules are shown as they are. */
const storedAreaSchema = areaShape(polygonCoordinatesShape);
export type SiteArea = z.infer<typeof storedAreaSchema>;

export const siteSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  external_ref: z.string().nullable(),
  site_type: siteTypeSchema,
  name: z.string(),
  names: z.record(z.string(), z.string()),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  precision_m: z.number().nullable(),
  area: storedAreaSchema.nullable(),
  recovered_by: z.string().nullable(),
  recovered_on: z.string().nullable(),
  context: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type Site = z.infer<typeof siteSchema>;
export const sitePageSchema = pageSchema(siteSchema);

const externalRefSchema = storedText()
  .min(1)
  .max(100)
  .describe('Your own reference for the site, unique in the investigation');
const precisionSchema = z.number().positive().max(1_000_000).describe('How far off the point may be, in metres');
const recoveredOnSchema = z.iso.date().describe('Day of recovery, YYYY-MM-DD');

export const createSiteBodySchema = z
  .object({
    id: clientRecordIdSchema.optional(),
    site_type: siteTypeSchema,
    name: storedText().min(1).max(300),
    names: namesSchema.default({}),
    latitude: latitudeSchema.nullish(),
    longitude: longitudeSchema.nullish(),
    precision_m: precisionSchema.nullish(),
    area: areaSchema.nullish(),
    external_ref: externalRefSchema.nullish(),
    recovered_by: storedText().min(1).max(300).nullish(),
    recovered_on: recoveredOnSchema.nullish(),
    context: z.string().max(20_000).default(''),
  })
  .superRefine((body, context) => {
    if ((body.latitude ?? null) === null && (body.longitude ?? null) !== null)
      context.addIssue({ code: 'custom', path: ['latitude'], message: 'give latitude together with longitude' });
    if ((body.latitude ?? null) !== null && (body.longitude ?? null) === null)
      context.addIssue({ code: 'custom', path: ['longitude'], message: 'give longitude together with latitude' });
  });
export type CreateSiteInput = z.input<typeof createSiteBodySchema>;

/** Fields left out stay as they are; `null` clears an optional field. */
export const updateSiteBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  site_type: siteTypeSchema.optional(),
  name: storedText().min(1).max(300).optional(),
  names: namesSchema.optional(),
  latitude: latitudeSchema.nullable().optional(),
  longitude: longitudeSchema.nullable().optional(),
  precision_m: precisionSchema.nullable().optional(),
  area: areaSchema.nullable().optional(),
  external_ref: externalRefSchema.nullable().optional(),
  recovered_by: storedText().min(1).max(300).nullable().optional(),
  recovered_on: recoveredOnSchema.nullable().optional(),
  context: z.string().max(20_000).optional(),
});
export type UpdateSiteInput = z.input<typeof updateSiteBodySchema>;

export interface BoundingBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

/** `minLon,minLat,maxLon,maxLat` as in GeoJSON; minLon > maxLon means the box crosses the antimeridian. */
export const bboxSchema = z
  .string()
  .describe('minLon,minLat,maxLon,maxLat (WGS84); sites without coordinates are left out')
  .transform((value, context): BoundingBox => {
    const parts = value.split(',').map((part) => Number(part.trim()));
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (
      parts.length !== 4 ||
      minLon === undefined ||
      minLat === undefined ||
      maxLon === undefined ||
      maxLat === undefined ||
      parts.some((part) => !Number.isFinite(part))
    ) {
      context.addIssue({ code: 'custom', message: 'give four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    if (
      [minLon, maxLon].some((lon) => lon < -180 || lon > 180) ||
      [minLat, maxLat].some((lat) => lat < -90 || lat > 90)
    ) {
      context.addIssue({ code: 'custom', message: 'longitudes must be within -180..180 and latitudes within -90..90' });
      return z.NEVER;
    }
    if (minLat > maxLat) {
      context.addIssue({ code: 'custom', message: 'minLat must not be greater than maxLat' });
      return z.NEVER;
    }
    return { minLon, minLat, maxLon, maxLat };
  });

export const siteListQuerySchema = pageQuerySchema.extend({
  site_type: siteTypeSchema.optional(),
  q: z.string().trim().min(1).max(300).optional().describe('Part of the name (any language), case-insensitive'),
  bbox: bboxSchema.optional(),
});
export type SiteListQuery = z.output<typeof siteListQuerySchema>;
export type SiteListQueryInput = z.input<typeof siteListQuerySchema>;

export const siteGeoJsonQuerySchema = z.object({
  site_type: siteTypeSchema.optional(),
});

export const siteFeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.uuid(),
      geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      properties: z.object({
        name: z.string(),
        names: z.record(z.string(), z.string()),
        site_type: siteTypeSchema,
        external_ref: z.string().nullable(),
        precision_m: z.number().nullable(),
        recovered_on: z.string().nullable(),
      }),
    }),
  ),
});
export type SiteFeatureCollection = z.infer<typeof siteFeatureCollectionSchema>;

export const zoneSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  site_id: z.uuid(),
  name: z.string(),
  description: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type Zone = z.infer<typeof zoneSchema>;
export const zonePageSchema = pageSchema(zoneSchema);

export const createZoneBodySchema = z.object({
  id: clientRecordIdSchema.optional(),
  name: storedText().min(1).max(200).describe('e.g. "rocket area"'),
  description: z.string().max(20_000).default(''),
});
export type CreateZoneInput = z.input<typeof createZoneBodySchema>;

export const updateZoneBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  name: storedText().min(1).max(200).optional(),
  description: z.string().max(20_000).optional(),
});
export type UpdateZoneInput = z.input<typeof updateZoneBodySchema>;
