import { z } from 'zod';
import { sensitivityCreateFields, sensitivityResponseFields, sensitivityUpdateFields } from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { clientRecordIdSchema } from '../../db/record-ids.js';
import { polygonProblems } from './area.js';
import {
  parseCoordinate,
  parseCoordinatePair,
  type CoordinateAxis,
  type CoordinateProblemCode,
} from '../../parsing/coordinates.js';

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
const linearRingSchema = ringPositionsSchema.refine(isClosed, {
  message: notClosed,
  params: { code: 'ring_not_closed' },
});
// The polygon check is quadratic in a ring's positions, so a ring as given is limited to 5,000 of them.
const givenRingSchema = ringPositionsSchema
  .max(5000, 'a ring may have at most 5,000 positions')
  .refine(isClosed, { message: notClosed, params: { code: 'ring_not_closed' } });

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
  ...sensitivityResponseFields,
});
export type Site = z.infer<typeof siteSchema>;
export const sitePageSchema = pageSchema(siteSchema);

const externalRefSchema = storedText()
  .min(1)
  .max(100)
  .describe('Your own reference for the site, unique in the investigation');
const precisionSchema = z.number().positive().max(1_000_000).describe('How far off the point may be, in metres');
const recoveredOnSchema = z.iso.date().describe('Day of recovery, YYYY-MM-DD');

/** English text of each coordinate problem, for the CLI and API clients; the web app translates the code. */
const coordinateProblemMessages: Record<CoordinateProblemCode, string> = {
  coordinate_empty: 'is empty',
  coordinate_unreadable: 'cannot be read as a coordinate',
  coordinate_out_of_range: 'is out of range',
  coordinate_hemisphere_mismatch: 'names a hemisphere of the other axis (N/S for latitude, E/W for longitude)',
  coordinate_pair_incomplete: 'give a latitude and a longitude',
  coordinate_minutes_too_large: 'minutes must be less than 60',
  coordinate_seconds_too_large: 'seconds must be less than 60',
  coordinate_sign_and_hemisphere: 'give a sign or a hemisphere letter, not both',
  coordinate_ambiguous: 'can be read in more than one way; use a point for decimals and a comma and space between',
  coordinate_too_precise: 'has more digits than can be stored exactly',
};

type IssueContext = z.core.$RefinementCtx;

/**
 * The English text of a coordinate problem, for the CLI, the API's `message` and import reports.
 *
 * @example describeCoordinateProblem('coordinate_out_of_range', { limit: 90 }) // 'is out of range (-90 to 90)'
 */
export function describeCoordinateProblem(
  code: CoordinateProblemCode,
  params: Record<string, string | number> = {},
): string {
  const limit = typeof params.limit === 'number' ? ` (-${params.limit} to ${params.limit})` : '';
  return `${coordinateProblemMessages[code]}${limit}`;
}

function addCoordinateIssue(
  context: IssueContext,
  field: string,
  code: CoordinateProblemCode,
  params: Record<string, string | number> = {},
): void {
  context.addIssue({
    code: 'custom',
    path: [field],
    message: describeCoordinateProblem(code, params),
    params: { ...params, code },
  });
}

/** A coordinate as a number of decimal degrees, or as text read by the one coordinate parser (src/parsing). */
function coordinateInput(axis: CoordinateAxis, clearable: 'nullish' | 'nullable-optional') {
  const value = z.union([z.number(), z.string()]);
  return (clearable === 'nullish' ? value.nullish() : value.nullable().optional()).describe(
    `WGS84 ${axis}: decimal degrees as a number, or as text in any common spelling (36.3412, 36,3412, ` +
      `36°21'04"N, N36 21.07, ٣٦٫٣٤١٢)`,
  );
}

/** Reads a coordinate given as a number or as text; undefined (with an issue raised) when it cannot be read. */
function readCoordinate(value: number | string, axis: CoordinateAxis, context: IssueContext): number | undefined {
  if (typeof value === 'number') {
    // A JSON number needs no reading; only its range is checked.
    const limit = axis === 'latitude' ? 90 : 180;
    if (Number.isFinite(value) && Math.abs(value) <= limit) return value;
    addCoordinateIssue(context, axis, 'coordinate_out_of_range', { axis, limit, text: String(value) });
    return undefined;
  }
  const result = parseCoordinate(value, axis);
  if (result.ok) return result.value;
  addCoordinateIssue(context, axis, result.code, result.params);
  return undefined;
}

const locationSchema = z.string();
const locationDescription =
  'A pasted "latitude, longitude" pair in any spelling the coordinate fields read (36.3412, 43.1789 or ' +
  `36°21'04"N 43°10'44"E), instead of both fields`;

interface LocationFields {
  latitude?: number | string | null | undefined;
  longitude?: number | string | null | undefined;
  location?: string | null | undefined;
}

/**
 * The point of a site from `latitude`/`longitude` or from `location`: `undefined` for a field left out, `null` for a
 * field cleared. Raises one issue per field that cannot be read, so nothing typed is dropped.
 */
function readLocation(
  body: LocationFields,
  context: IssueContext,
): { latitude: number | null | undefined; longitude: number | null | undefined } {
  if (body.location !== undefined) {
    if (body.latitude !== undefined || body.longitude !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['location'],
        message: 'give either location or latitude and longitude, not both',
        params: { code: 'location_and_coordinates' },
      });
      return { latitude: undefined, longitude: undefined };
    }
    if (body.location === null) return { latitude: null, longitude: null };
    const pair = parseCoordinatePair(body.location);
    if (pair.ok) return { latitude: pair.latitude, longitude: pair.longitude };
    addCoordinateIssue(context, 'location', pair.code, pair.params);
    return { latitude: undefined, longitude: undefined };
  }
  const read = (value: number | string | null | undefined, axis: CoordinateAxis) =>
    value === undefined || value === null ? value : readCoordinate(value, axis, context);
  return { latitude: read(body.latitude, 'latitude'), longitude: read(body.longitude, 'longitude') };
}

export const createSiteBodySchema = z
  .object({
    id: clientRecordIdSchema.optional(),
    site_type: siteTypeSchema,
    name: storedText().min(1).max(300),
    names: namesSchema.default({}),
    latitude: coordinateInput('latitude', 'nullish'),
    longitude: coordinateInput('longitude', 'nullish'),
    location: locationSchema.nullish().describe(locationDescription),
    precision_m: precisionSchema.nullish(),
    area: areaSchema.nullish(),
    external_ref: externalRefSchema.nullish(),
    recovered_by: storedText().min(1).max(300).nullish(),
    recovered_on: recoveredOnSchema.nullish(),
    context: z.string().max(20_000).default(''),
    ...sensitivityCreateFields,
  })
  .transform(({ location, ...body }, context) => {
    const before = context.issues.length;
    const point = readLocation({ ...body, location }, context);
    const latitude = point.latitude ?? null;
    const longitude = point.longitude ?? null;
    if (context.issues.length === before) {
      if (latitude === null && longitude !== null) addPairingIssue(context, 'latitude');
      if (latitude !== null && longitude === null) addPairingIssue(context, 'longitude');
      if (latitude === null && longitude === null && (body.precision_m ?? null) !== null) {
        addPrecisionIssue(context);
      }
    }
    if (context.issues.length > before) return z.NEVER;
    return { ...body, latitude, longitude };
  });
export type CreateSiteInput = z.input<typeof createSiteBodySchema>;

function addPairingIssue(context: IssueContext, missing: CoordinateAxis): void {
  const other = missing === 'latitude' ? 'longitude' : 'latitude';
  context.addIssue({
    code: 'custom',
    path: [missing],
    message: `give ${missing} together with ${other}`,
    params: { code: 'coordinate_pair_incomplete', axis: missing },
  });
}

/** A precision with no point is refused: it would describe a location nobody recorded. */
export function addPrecisionIssue(context: IssueContext): void {
  context.addIssue({
    code: 'custom',
    path: ['precision_m'],
    message: 'a precision needs a location: give latitude and longitude too',
    params: { code: 'precision_without_location' },
  });
}

/** Fields left out stay as they are; `null` clears an optional field (`location: null` clears the point). */
export const updateSiteBodySchema = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
    site_type: siteTypeSchema.optional(),
    name: storedText().min(1).max(300).optional(),
    names: namesSchema.optional(),
    latitude: coordinateInput('latitude', 'nullable-optional'),
    longitude: coordinateInput('longitude', 'nullable-optional'),
    location: locationSchema.nullable().optional().describe(`${locationDescription}; null clears the point`),
    precision_m: precisionSchema.nullable().optional(),
    area: areaSchema.nullable().optional(),
    external_ref: externalRefSchema.nullable().optional(),
    recovered_by: storedText().min(1).max(300).nullable().optional(),
    recovered_on: recoveredOnSchema.nullable().optional(),
    context: z.string().max(20_000).optional(),
    ...sensitivityUpdateFields,
  })
  .transform(({ location, ...body }, context) => {
    const before = context.issues.length;
    const point = readLocation({ ...body, location }, context);
    if (context.issues.length > before) return z.NEVER;
    return { ...body, latitude: point.latitude, longitude: point.longitude };
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
      context.addIssue({
        code: 'custom',
        message: 'give four numbers: minLon,minLat,maxLon,maxLat',
        params: { code: 'bbox_unreadable' },
      });
      return z.NEVER;
    }
    if (
      [minLon, maxLon].some((lon) => lon < -180 || lon > 180) ||
      [minLat, maxLat].some((lat) => lat < -90 || lat > 90)
    ) {
      context.addIssue({
        code: 'custom',
        message: 'longitudes must be within -180..180 and latitudes within -90..90',
        params: { code: 'bbox_out_of_range' },
      });
      return z.NEVER;
    }
    if (minLat > maxLat) {
      context.addIssue({
        code: 'custom',
        message: 'minLat must not be greater than maxLat',
        params: { code: 'bbox_inverted' },
      });
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
