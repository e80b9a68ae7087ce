import { z } from 'zod';
import {
  sensitivityCreateFields,
  sensitivityLevelSchema,
  sensitivityResponseFields,
  sensitivityUpdateFields,
} from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { httpUrlSchema } from '../sources/schema.js';

export const sha256Schema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'give the SHA-256 of the file as 64 hexadecimal digits')
  .transform((value) => value.toLowerCase())
  .describe('SHA-256 of the file’s bytes, hexadecimal');

export const reviewFlagSchema = z
  .object({
    kind: z.enum(['location_mismatch', 'time_mismatch']),
    site_id: z.uuid().describe('The site the photo was compared with'),
    distance_m: z.number().optional().describe('How far the photo’s GPS position is from the site'),
    hours_off: z.number().optional().describe('How far the capture time is from the recovery day'),
    message: z.string(),
  })
  .describe('Something a reviewer should check; nothing is changed automatically');
export type ReviewFlag = z.infer<typeof reviewFlagSchema>;

export const mediaLinkSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  media_id: z.uuid(),
  site_id: z.uuid().nullable(),
  item_id: z.uuid().nullable(),
  marking_id: z.uuid().nullable(),
  review_flags: z
    .array(reviewFlagSchema)
    .describe('Raised when the link was made: the photo’s EXIF position or time disagrees with the site'),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type MediaLink = z.infer<typeof mediaLinkSchema>;

export const mediaDerivativesSchema = z
  .object({
    state: z
      .enum(['pending', 'ready', 'failed', 'none'])
      .describe(
        'pending: a job is making them (the thumbnail answers 404 derivative_not_ready with Retry-After); ready: ' +
          'made; failed: the image could not be decoded (problem says why; the original is kept as it is); none: ' +
          'not an image armtrace decodes',
      ),
    problem: z
      .object({ code: z.string(), detail: z.string() })
      .nullable()
      .describe('Why they could not be made (state failed)'),
  })
  .describe('The thumbnail, preview and perceptual hash, made by a `media.derivatives` job after the upload');
export type MediaDerivatives = z.infer<typeof mediaDerivativesSchema>;

export const mediaSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  sha256: z.string().describe('SHA-256 of the original’s bytes, computed while receiving them'),
  size_bytes: z.number().int(),
  media_type: z.string().describe('The type found in the content (magic bytes), not the one declared'),
  original_filename: z.string().nullable(),
  captured_at: z.string().nullable(),
  captured_by: z.string().nullable(),
  source_id: z.uuid().nullable(),
  credit: z.string().nullable(),
  licence: z.string().nullable(),
  original_url: z.string().nullable(),
  perceptual_hash: z
    .string()
    .nullable()
    .describe('64-bit difference hash of an image, 16 hex digits; null until its derivatives are made'),
  pixel_width: z.number().int().nullable(),
  pixel_height: z.number().int().nullable(),
  exif_captured_at: z
    .string()
    .nullable()
    .describe('Capture time by the camera clock (EXIF), read as UTC when the file gives no offset'),
  exif_latitude: z.number().nullable(),
  exif_longitude: z.number().nullable(),
  exif_device: z.string().nullable().describe('Camera or phone make and model (EXIF)'),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  ...sensitivityResponseFields,
  derivatives: mediaDerivativesSchema,
});
export type Media = z.infer<typeof mediaSchema>;
export const mediaPageSchema = pageSchema(mediaSchema);

export const mediaProofFileSchema = z.object({
  name: z.string().describe('The file’s name in the bundle, or what it is (the manifest store embedded in the photo)'),
  role: z.enum([
    'c2pa_manifest',
    'proof_json',
    'proof_csv',
    'media_signature',
    'proof_signature',
    'public_key',
    'other',
    'bundle',
  ]),
  sha256: z.string().describe('Its SHA-256: it is kept in the evidence store under this hash, beside the original'),
  size_bytes: z.number().int(),
});

export const mediaProofSchema = z
  .object({
    id: z.uuid(),
    media_id: z.uuid(),
    kind: z
      .enum(['c2pa', 'proofmode'])
      .describe('c2pa: a manifest embedded in the file; proofmode: a ProofMode bundle'),
    claims_present: z
      .literal(true)
      .describe('The proof was found and its claims read; this says nothing about its signature'),
    signature_state: z
      .enum(['verified', 'invalid', 'unverifiable'])
      .describe(
        'verified: the signature matches the certificate or key shipped with the proof and the file matches the signed hash ' +
          '(who holds that certificate or key is not established); invalid: a signature or hash does not match; ' +
          'unverifiable: no key, or a signature the reader cannot check',
      ),
    signature_reason: z.string().describe('Why the signature is in that state'),
    generator: z.string().nullable().describe('The claim generator (C2PA) or "ProofMode"'),
    signer: z
      .string()
      .nullable()
      .describe('The signing certificate’s subject (C2PA) or key’s user IDs and fingerprint'),
    signed_at: z.string().nullable().describe('When it was signed, as the signature says'),
    claims: z
      .record(z.string(), z.unknown())
      .describe(
        'What the proof says. C2PA: claim_generator, signer, assertions (labels), actions, validation (codes); ' +
          'ProofMode: media_file, media_sha256, proof_sha256(_matches), signer, signatures, proof (its fields)',
      ),
    files: z.array(mediaProofFileSchema).describe('The proof’s files, kept unchanged in the evidence store'),
    created_by: z.uuid(),
    created_at: z.string(),
  })
  .describe('A proof that came with the file: read when it was received; the original is never altered');
export type MediaProof = z.infer<typeof mediaProofSchema>;

export const mediaWithLinksSchema = mediaSchema.extend({
  links: z.array(mediaLinkSchema).describe('The active links to sites, items and markings'),
  proofs: z
    .array(mediaProofSchema)
    .describe('C2PA manifests and ProofMode proofs that came with the file (empty when none did)'),
});
export type MediaWithLinks = z.infer<typeof mediaWithLinksSchema>;

/** What may change after the record is made; the hash, size and type describe the bytes and stay fixed. */
const describingFields = {
  original_filename: storedText().min(1).max(500).nullable(),
  captured_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .describe('When the photo or video was taken, ISO 8601 with a time zone'),
  captured_by: storedText()
    .min(1)
    .max(300)
    .nullable()
    .describe('Who took it: a team or organisation, not necessarily a person'),
  source_id: z.uuid().nullable().describe('The source it came from, in the same investigation'),
  credit: storedText().min(1).max(500).nullable().describe('Credit line to print with it'),
  licence: storedText().min(1).max(300).nullable(),
  original_url: httpUrlSchema.nullable().describe('Where it was first published'),
};

/** Text that may be empty in a form: an empty field counts as not given. */
function formField<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/**
 * The form fields sent with an upload (multipart/form-data, all text), or
 * given to `armtrace media add`. At most one of site_id, item_id, marking_id.
 */
export const uploadFieldsSchema = z
  .object({
    site_id: formField(z.uuid()).describe('Link the file to this site'),
    item_id: formField(z.uuid()).describe('Link the file to this item'),
    marking_id: formField(z.uuid()).describe('Link the file to this marking'),
    original_filename: formField(describingFields.original_filename.unwrap()).describe(
      'Defaults to the name of the uploaded file',
    ),
    captured_at: formField(describingFields.captured_at.unwrap()),
    captured_by: formField(describingFields.captured_by.unwrap()),
    source_id: formField(z.uuid()).describe('The source it came from, in the same investigation'),
    credit: formField(describingFields.credit.unwrap()),
    licence: formField(describingFields.licence.unwrap()),
    original_url: formField(describingFields.original_url.unwrap()),
    sensitivity: formField(sensitivityLevelSchema).describe(
      "Who may see the file; the investigation's default when left out",
    ),
    sensitivity_reason: formField(sensitivityCreateFields.sensitivity_reason.unwrap().unwrap()),
  })
  .refine(
    (fields) => [fields.site_id, fields.item_id, fields.marking_id].filter((id) => id !== undefined).length <= 1,
    { message: 'give at most one of site_id, item_id or marking_id', path: ['site_id'] },
  );
export type UploadFields = z.input<typeof uploadFieldsSchema>;

/** The multipart form as documented in OpenAPI; the route reads the parts as a stream. */
export const uploadFormSchema = z
  .object({
    file: z.file().describe('The file, streamed; its content decides its type'),
    site_id: z.uuid().optional(),
    item_id: z.uuid().optional(),
    marking_id: z.uuid().optional(),
    original_filename: z.string().optional(),
    captured_at: z.string().optional().describe('ISO 8601 with a time zone'),
    captured_by: z.string().optional(),
    source_id: z.uuid().optional(),
    credit: z.string().optional(),
    licence: z.string().optional(),
    original_url: z.string().optional(),
    sensitivity: sensitivityLevelSchema.optional(),
    sensitivity_reason: z.string().optional().describe('Required for restricted'),
  })
  // The parts are streamed, so there is no parsed body to validate (null).
  .nullish()
  .describe(
    'multipart/form-data: the file in the field `file` and optional text fields; an empty text field counts as not given',
  );

export const updateMediaBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  original_filename: describingFields.original_filename.optional(),
  captured_at: describingFields.captured_at.optional(),
  captured_by: describingFields.captured_by.optional(),
  source_id: describingFields.source_id.optional(),
  credit: describingFields.credit.optional(),
  licence: describingFields.licence.optional(),
  original_url: describingFields.original_url.optional(),
  ...sensitivityUpdateFields,
});
export type UpdateMediaInput = z.input<typeof updateMediaBodySchema>;

export const mediaListQuerySchema = pageQuerySchema.extend({
  sha256: sha256Schema.optional().describe('Only records of the file with this hash'),
  source_id: z.uuid().optional(),
  site_id: z.uuid().optional().describe('Only media linked now to this site'),
  item_id: z.uuid().optional().describe('Only media linked now to this item'),
  marking_id: z.uuid().optional().describe('Only media linked now to this marking'),
  flagged: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .describe('Only media with an active link that carries review flags'),
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

export const uploadedMediaSchema = mediaWithLinksSchema.extend({
  stored: z
    .enum(['new', 'already_stored'])
    .describe(
      'already_stored: this investigation already has a record of the same bytes (kept once); ' +
        'whether any other investigation has them is never told',
    ),
  same_file: z.array(z.uuid()).describe('Other active records of the same bytes in this investigation'),
  bundle_media_ids: z
    .array(z.uuid())
    .optional()
    .describe(
      'When a ProofMode bundle (zip) was sent: every media record made from it, this one first; each carries its proof',
    ),
});
export type UploadedMedia = z.infer<typeof uploadedMediaSchema>;

export const similarQuerySchema = z.object({
  max_distance: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(10)
    .describe('Largest Hamming distance between perceptual hashes (0-64)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type SimilarQuery = z.input<typeof similarQuerySchema>;

export const similarMediaSchema = z.object({
  items: z.array(
    z.object({
      distance: z.number().int().describe('Bits that differ between the two perceptual hashes'),
      media: mediaSchema,
    }),
  ),
});
export type SimilarMedia = z.infer<typeof similarMediaSchema>;
