import { z } from 'zod';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';
import { storedText } from '../../db/stored-text.js';

/** The records that go through review, as the API names them. */
export const reviewKinds = ['site', 'item', 'marking', 'provenance_claim', 'media'] as const;
export const reviewKindSchema = z.enum(reviewKinds).describe('Kind of record under review');
export type ReviewKind = z.infer<typeof reviewKindSchema>;

/** draft → submitted → verified → published; a correction of a verified or published record returns it to submitted. */
export const reviewStates = ['draft', 'submitted', 'verified', 'published'] as const;
export const reviewStateSchema = z.enum(reviewStates).describe('Review state of a record');
export type ReviewState = z.infer<typeof reviewStateSchema>;

/** What an investigation lets be published: only verified records (the default), or also submitted ones. */
export const publicationRules = ['verified', 'submitted'] as const;
export const publicationRuleSchema = z
  .enum(publicationRules)
  .describe('verified: only verified records may be published; submitted: submitted ones too');
export type PublicationRule = z.infer<typeof publicationRuleSchema>;

export const reviewRecordParamsSchema = z.object({
  kind: reviewKindSchema,
  id: z.uuid(),
});

const userRefSchema = z.object({ id: z.uuid(), username: z.string(), display_name: z.string() });

export const reviewStatusSchema = z.object({
  kind: reviewKindSchema,
  id: z.uuid(),
  investigation_id: z.uuid(),
  state: reviewStateSchema,
  version: z.number().int().describe('The record’s current version (content changes only)'),
  created_by: userRefSchema,
  verified: z
    .object({
      version: z.number().int().describe('The version that was verified; older than `version` after a correction'),
      by: userRefSchema,
      at: z.string(),
      current: z.boolean().describe('Whether the verified version is still the current one'),
    })
    .nullable()
    .describe('The last verification, kept when a correction sends the record back to submitted'),
  published: z.object({ by: userRefSchema, at: z.string() }).nullable().describe('The last publication'),
  unpublished: z
    .object({ by: userRefSchema, at: z.string(), reason: z.string() })
    .nullable()
    .describe('The last time an owner took the record back from publication, and why'),
  verified_values: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('The record as it was verified (from the audit log), when it changed since'),
  allowed: z
    .object({ submit: z.boolean(), verify: z.boolean(), publish: z.boolean(), unpublish: z.boolean() })
    .describe('What the caller may do now (the server checks again on each action)'),
  refusal: z
    .enum(['role', 'own_record', 'state', 'publication_rule'])
    .nullable()
    .describe('Why the caller may not verify or publish it, when they may not'),
});
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

export const reviewActionBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you reviewed; a record changed since gets 409'),
});
export type ReviewActionInput = z.input<typeof reviewActionBodySchema>;

/** Taking a publication back always says why (kept on the record and in the audit log). */
export const reviewUnpublishBodySchema = reviewActionBodySchema.extend({
  reason: storedText().min(3, 'say why the publication is taken back').max(2000),
});
export type ReviewUnpublishInput = z.input<typeof reviewUnpublishBodySchema>;

export const reviewQueueQuerySchema = pageQuerySchema.omit({ include_archived: true }).extend({
  ...sortQuerySchema(['updated', 'created', 'kind', 'label'] as const, 'updated').shape,
  kind: reviewKindSchema.optional().describe('Only records of this kind'),
});
export type ReviewQueueQuery = z.output<typeof reviewQueueQuerySchema>;

export const reviewQueueEntrySchema = z.object({
  kind: reviewKindSchema,
  id: z.uuid(),
  label: z.string().describe('A short name of the record (site name, item reference, marking text…)'),
  item_id: z.uuid().nullable().describe('The item a marking or claim belongs to'),
  site_id: z.uuid().nullable().describe('The site of an item'),
  version: z.number().int(),
  verified_version: z.number().int().nullable().describe('Set when this is a correction of a verified record'),
  created_by: userRefSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export type ReviewQueueEntry = z.infer<typeof reviewQueueEntrySchema>;

export const reviewQueueSchema = pageSchema(reviewQueueEntrySchema).extend({
  can_verify: z.boolean().describe('Whether the caller’s role may verify in this investigation'),
});
export type ReviewQueue = z.infer<typeof reviewQueueSchema>;

export const reviewSettingsSchema = z.object({
  investigation_id: z.uuid(),
  publication_rule: publicationRuleSchema,
  version: z.number().int().describe('The investigation’s version'),
  can_change: z.boolean().describe('Whether the caller may change the rule (owners)'),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const updateReviewSettingsBodySchema = z.object({
  version: z.number().int().min(1).describe('The investigation’s version you read'),
  publication_rule: publicationRuleSchema,
});
export type UpdateReviewSettingsInput = z.input<typeof updateReviewSettingsBodySchema>;
