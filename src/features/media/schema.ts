import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { httpUrlSchema } from '../sources/schema.js';

export const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'give the SHA-256 of the file as 64 hexadecimal digits')
  .transform((value) => value.toLowerCase())
  .describe('SHA-256 of the file’s bytes, hexadecimal');

export const mediaLinkSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  media_id: z.uuid(),
  site_id: z.uuid().nullable(),
  item_id: z.uuid().nullable(),
  marking_id: z.uuid().nullable(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type MediaLink = z.infer<typeof mediaLinkSchema>;

export const mediaSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  sha256: z.string(),
  size_bytes: z.number().int(),
  media_type: z.string(),
  original_filename: z.string().nullable(),
  captured_at: z.string().nullable(),
  captured_by: z.string().nullable(),
  source_id: z.uuid().nullable(),
  credit: z.string().nullable(),
  licence: z.string().nullable(),
  original_url: z.string().nullable(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type Media = z.infer<typeof mediaSchema>;
export const mediaPageSchema = pageSchema(mediaSchema);

export const mediaWithLinksSchema = mediaSchema.extend({
  links: z.array(mediaLinkSchema).describe('The active links to sites, items and markings'),
});
export type MediaWithLinks = z.infer<typeof mediaWithLinksSchema>;

/** What may change after the record is made; the hash, size and type describe the bytes and stay fixed. */
const describingFields = {
  original_filename: z.string().trim().min(1).max(500).nullable(),
  captured_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .describe('When the photo or video was taken, ISO 8601 with a time zone'),
  captured_by: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .nullable()
    .describe('Who took it: a team or organisation, not necessarily a person'),
  source_id: z.uuid().nullable().describe('The source it came from, in the same investigation'),
  credit: z.string().trim().min(1).max(500).nullable().describe('Credit line to print with it'),
  licence: z.string().trim().min(1).max(300).nullable(),
  original_url: httpUrlSchema.nullable().describe('Where it was first published'),
};

export const createMediaBodySchema = z.object({
  sha256: sha256Schema,
  size_bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  media_type: z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'give a media type such as image/jpeg'))
    .describe('IANA media type, e.g. image/jpeg'),
  original_filename: describingFields.original_filename.default(null),
  captured_at: describingFields.captured_at.default(null),
  captured_by: describingFields.captured_by.default(null),
  source_id: describingFields.source_id.default(null),
  credit: describingFields.credit.default(null),
  licence: describingFields.licence.default(null),
  original_url: describingFields.original_url.default(null),
});
export type CreateMediaInput = z.input<typeof createMediaBodySchema>;

export const updateMediaBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  original_filename: describingFields.original_filename.optional(),
  captured_at: describingFields.captured_at.optional(),
  captured_by: describingFields.captured_by.optional(),
  source_id: describingFields.source_id.optional(),
  credit: describingFields.credit.optional(),
  licence: describingFields.licence.optional(),
  original_url: describingFields.original_url.optional(),
});
export type UpdateMediaInput = z.input<typeof updateMediaBodySchema>;

export const mediaListQuerySchema = pageQuerySchema.extend({
  sha256: sha256Schema.optional().describe('Only records of the file with this hash'),
  source_id: z.uuid().optional(),
});
export type MediaListQuery = z.output<typeof mediaListQuerySchema>;

export const createMediaLinkBodySchema = z
  .object({
    site_id: z.uuid().optional(),
    item_id: z.uuid().optional(),
    marking_id: z.uuid().optional(),
  })
  .refine(
    (body) => [body.site_id, body.item_id, body.marking_id].filter((id) => id !== undefined).length === 1,
    'give exactly one of site_id, item_id or marking_id',
  )
  .describe('What the media shows: exactly one site, item or marking');
export type CreateMediaLinkInput = z.input<typeof createMediaLinkBodySchema>;
