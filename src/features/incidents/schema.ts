import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';
import { isoDateSchema } from '../sources/schema.js';

export const incidentTypes = ['malfunction', 'accident', 'seizure', 'attack', 'other'] as const;
export const incidentTypeSchema = z.enum(incidentTypes).describe('What happened');

export const incidentSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  incident_type: incidentTypeSchema,
  title: z.string(),
  occurred_on: z.string().nullable(),
  site_id: z
    .uuid()
    .nullable()
    .describe('The site given when the incident was recorded or last edited; always one of site_ids'),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  place: z.string().nullable(),
  killed: z.number().int().nullable(),
  injured: z.number().int().nullable(),
  description: z.string(),
  source_id: z.uuid().nullable(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  item_ids: z.array(z.uuid()).describe('The items involved'),
  site_ids: z.array(z.uuid()).describe('The sites involved, in the order they were linked'),
});
export type Incident = z.infer<typeof incidentSchema>;
export const incidentPageSchema = pageSchema(incidentSchema);

const incidentFields = {
  title: storedText().min(1).max(300),
  occurred_on: isoDateSchema.nullable(),
  site_id: z
    .uuid()
    .nullable()
    .describe('The site where it happened, in the same investigation; it is also linked (see site_ids)'),
  latitude: z.number().min(-90).max(90).nullable().describe('WGS 84; give longitude with it'),
  longitude: z.number().min(-180).max(180).nullable().describe('WGS 84; give latitude with it'),
  place: storedText().min(1).max(300).nullable(),
  killed: z.number().int().min(0).max(1_000_000).nullable().describe('A count only; no names are recorded'),
  injured: z.number().int().min(0).max(1_000_000).nullable().describe('A count only; no names are recorded'),
  description: z.string().max(20_000),
  source_id: z.uuid().nullable().describe('The source that reports it, in the same investigation'),
};

export const createIncidentBodySchema = z.object({
  incident_type: incidentTypeSchema,
  title: incidentFields.title,
  occurred_on: incidentFields.occurred_on.default(null),
  site_id: incidentFields.site_id.default(null),
  latitude: incidentFields.latitude.default(null),
  longitude: incidentFields.longitude.default(null),
  place: incidentFields.place.default(null),
  killed: incidentFields.killed.default(null),
  injured: incidentFields.injured.default(null),
  description: incidentFields.description.default(''),
  source_id: incidentFields.source_id.default(null),
});
export type CreateIncidentInput = z.input<typeof createIncidentBodySchema>;

export const updateIncidentBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  incident_type: incidentTypeSchema.optional(),
  title: incidentFields.title.optional(),
  occurred_on: incidentFields.occurred_on.optional(),
  site_id: incidentFields.site_id.optional(),
  latitude: incidentFields.latitude.optional(),
  longitude: incidentFields.longitude.optional(),
  place: incidentFields.place.optional(),
  killed: incidentFields.killed.optional(),
  injured: incidentFields.injured.optional(),
  description: incidentFields.description.optional(),
  source_id: incidentFields.source_id.optional(),
});
export type UpdateIncidentInput = z.input<typeof updateIncidentBodySchema>;

export const incidentSortKeys = [
  'created',
  'title',
  'incident_type',
  'occurred_on',
  'killed',
  'injured',
  'items',
  'archived',
] as const;
export type IncidentSortKey = (typeof incidentSortKeys)[number];

export const incidentListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(incidentSortKeys, 'created').shape,
  incident_type: incidentTypeSchema.optional(),
  site_id: z.uuid().optional().describe('Only incidents linked to this site'),
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the title or the place'),
});
export type IncidentListQuery = z.output<typeof incidentListQuerySchema>;

export const linkIncidentSiteBodySchema = z.object({
  site_id: z.uuid().describe('A live site of the same investigation'),
});
export type LinkIncidentSiteInput = z.input<typeof linkIncidentSiteBodySchema>;

export const linkIncidentItemBodySchema = z.object({
  item_id: z.uuid().describe('An item of the same investigation'),
});
export type LinkIncidentItemInput = z.input<typeof linkIncidentItemBodySchema>;
