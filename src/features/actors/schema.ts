import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';

export const actorTypes = ['manufacturer', 'state', 'company', 'armed_group', 'unit', 'other'] as const;
export const actorTypeSchema = z.enum(actorTypes).describe('Kind of actor');
export type ActorType = z.infer<typeof actorTypeSchema>;

/** ISO 3166-1 alpha-2, accepted in any case and stored upper-case. */
export const countryCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'use a two-letter ISO 3166-1 alpha-2 code, e.g. UA')
  .transform((code) => code.toUpperCase())
  .describe('ISO 3166-1 alpha-2 country code, e.g. UA');

/** Other names in any script: trimmed, blanks dropped, each kept once in the order given. */
const aliasesSchema = z
  .array(z.string().max(300))
  .max(100)
  .transform((aliases) => [
    ...new Set(aliases.map((alias) => alias.normalize('NFC').trim()).filter((alias) => alias !== '')),
  ])
  .describe('Other names or spellings, in any script');

export const actorSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  actor_type: actorTypeSchema,
  name: z.string(),
  aliases: z.array(z.string()),
  country_code: z.string().nullable(),
  notes: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type ActorRecord = z.infer<typeof actorSchema>;
export const actorPageSchema = pageSchema(actorSchema);

export const createActorBodySchema = z.object({
  actor_type: actorTypeSchema,
  name: storedText().min(1).max(300),
  aliases: aliasesSchema.default([]),
  country_code: countryCodeSchema.nullable().optional(),
  notes: z.string().max(20_000).default(''),
});
export type CreateActorInput = z.input<typeof createActorBodySchema>;

export const updateActorBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  actor_type: actorTypeSchema.optional(),
  name: storedText().min(1).max(300).optional(),
  aliases: aliasesSchema.optional().describe('Replaces the whole list'),
  country_code: countryCodeSchema.nullable().optional(),
  notes: z.string().max(20_000).optional(),
});
export type UpdateActorInput = z.input<typeof updateActorBodySchema>;

export const actorSortKeys = ['created', 'name', 'actor_type', 'country_code', 'archived'] as const;
export type ActorSortKey = (typeof actorSortKeys)[number];

export const actorListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(actorSortKeys, 'created').shape,
  actor_type: actorTypeSchema.optional(),
  country_code: countryCodeSchema.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Part of the name or of any alias, any case'),
});
export type ActorListQuery = z.output<typeof actorListQuerySchema>;

export const mergeActorBodySchema = z.object({
  into_id: z.uuid().describe('The actor that is kept; the one in the path is archived as merged into it'),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('The version you read of the actor being merged; a stale one gets 409'),
});
export type MergeActorInput = z.input<typeof mergeActorBodySchema>;

export const mergeActorResultSchema = z.object({
  kept: actorSchema.describe('The kept actor, with the merged one’s name and aliases among its aliases'),
  merged: actorSchema.describe('The merged actor, archived with the reason "merged into …"'),
  moved: z
    .object({
      trace_requests: z.number().int().describe('Trace requests now addressed to the kept actor'),
      provenance_claims: z.number().int().describe('Provenance claims now naming the kept actor'),
    })
    .describe('How many records were moved from the merged actor to the kept one'),
});
export type MergeActorResult = z.infer<typeof mergeActorResultSchema>;

export const mergePreviewQuerySchema = z.object({
  into_id: z.uuid().describe('The actor that would be kept'),
});
export type MergePreviewQuery = z.output<typeof mergePreviewQuerySchema>;

export const mergePreviewSchema = z
  .object({
    kept: actorSchema.describe('The actor that would be kept, as it is now'),
    merged: actorSchema.describe('The actor that would be archived as merged, as it is now'),
    aliases_after: z.array(z.string()).describe('The kept actor’s aliases after the merge'),
    aliases_added: z.array(z.string()).describe('The names and aliases the kept actor would gain'),
    country_code_after: z.string().nullable().describe('The kept actor’s country after the merge'),
    trace_requests: z
      .array(
        z.object({
          id: z.uuid(),
          subject: z.string(),
          status: z.string(),
          archived_at: z.string().nullable(),
        }),
      )
      .describe('Trace requests addressed to the merged actor, archived ones included: they would move'),
    provenance_claims: z
      .array(
        z.object({
          id: z.uuid(),
          event_type: z.string(),
          item_id: z.uuid().nullable(),
          lot_marking: z.string().nullable(),
          role: z.enum(['actor', 'counterpart', 'both']).describe('Where the merged actor is named in the claim'),
          archived_at: z.string().nullable(),
        }),
      )
      .describe('Provenance claims naming the merged actor, archived ones included: they would move'),
  })
  .describe('What a merge would change, without changing anything');
export type MergePreview = z.infer<typeof mergePreviewSchema>;
