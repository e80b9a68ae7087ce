import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';

export const sourceKinds = ['field_documentation', 'media_report', 'official_document', 'interview', 'other'] as const;
export const sourceKindSchema = z
  .enum(sourceKinds)
  .describe(
    'What the source is. An interview is recorded by what was said, its date and language: the record has no field for a person’s name and needs none.',
  );

/** Admiralty (NATO) grading, reliability of the source: A completely reliable … E unreliable, F cannot be judged. */
export const reliabilities = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const reliabilitySchema = z
  .enum(reliabilities)
  .describe('Admiralty reliability of the source: A completely reliable … E unreliable, F cannot be judged');
export const credibilitySchema = z
  .number()
  .int()
  .min(1)
  .max(6)
  .describe('Admiralty credibility of the information: 1 confirmed … 5 improbable, 6 cannot be judged');

export const isoDateSchema = z.iso.date().describe('A calendar date, YYYY-MM-DD');
export const httpUrlSchema = z
  .string()
  .max(2000)
  .regex(/^https?:\/\//, 'use an http:// or https:// address');
export const languageTagSchema = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a BCP 47 language tag such as ar, uk or zh-Hans')
  .describe('BCP 47 language tag of the original, e.g. ar, uk, zh-Hans');

export const sourceSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  kind: sourceKindSchema,
  title: z.string(),
  publisher: z.string().nullable(),
  url: z.string().nullable(),
  language: z.string().nullable(),
  published_on: z.string().nullable(),
  excerpt: z.string().nullable().describe('Original-language text, kept exactly as given'),
  credit_line: z.string().nullable(),
  reliability: reliabilitySchema.nullable(),
  credibility: z.number().int().nullable(),
  grading: z
    .string()
    .nullable()
    .describe('Reliability and credibility together, e.g. "B2"; null until both are graded'),
  notes: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type Source = z.infer<typeof sourceSchema>;
export const sourcePageSchema = pageSchema(sourceSchema);

const sourceFields = {
  title: storedText().min(1).max(500),
  publisher: storedText().min(1).max(300).nullable(),
  url: httpUrlSchema.nullable(),
  language: languageTagSchema.nullable(),
  published_on: isoDateSchema.nullable(),
  excerpt: z
    .string()
    .max(50_000)
    .nullable()
    .describe('Original-language text, stored exactly as given (not trimmed, not translated)'),
  credit_line: storedText().min(1).max(500).nullable().describe('How to credit it, e.g. "Image source: QQ"'),
  reliability: reliabilitySchema.nullable(),
  credibility: credibilitySchema.nullable(),
  notes: z.string().max(20_000),
};

export const createSourceBodySchema = z.object({
  kind: sourceKindSchema,
  title: sourceFields.title,
  publisher: sourceFields.publisher.default(null),
  url: sourceFields.url.default(null),
  language: sourceFields.language.default(null),
  published_on: sourceFields.published_on.default(null),
  excerpt: sourceFields.excerpt.default(null),
  credit_line: sourceFields.credit_line.default(null),
  reliability: sourceFields.reliability.default(null),
  credibility: sourceFields.credibility.default(null),
  notes: sourceFields.notes.default(''),
});
export type CreateSourceInput = z.input<typeof createSourceBodySchema>;

export const updateSourceBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  kind: sourceKindSchema.optional(),
  title: sourceFields.title.optional(),
  publisher: sourceFields.publisher.optional(),
  url: sourceFields.url.optional(),
  language: sourceFields.language.optional(),
  published_on: sourceFields.published_on.optional(),
  excerpt: sourceFields.excerpt.optional(),
  credit_line: sourceFields.credit_line.optional(),
  reliability: sourceFields.reliability.optional(),
  credibility: sourceFields.credibility.optional(),
  notes: sourceFields.notes.optional(),
});
export type UpdateSourceInput = z.input<typeof updateSourceBodySchema>;

export const sourceSortKeys = [
  'created',
  'title',
  'grading',
  'kind',
  'credit_line',
  'published_on',
  'archived',
] as const;
export type SourceSortKey = (typeof sourceSortKeys)[number];

export const sourceListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(sourceSortKeys, 'created').shape,
  kind: sourceKindSchema.optional(),
  reliability: reliabilitySchema.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the title, publisher or credit line'),
});
export type SourceListQuery = z.output<typeof sourceListQuerySchema>;
