import { z } from 'zod';
import { sensitivityCreateFields, sensitivityResponseFields, sensitivityUpdateFields } from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';
import { clientRecordIdSchema } from '../../db/record-ids.js';

export const markingKinds = [
  'serial',
  'lot',
  'factory_code',
  'year',
  'headstamp',
  'model',
  'stock_number',
  'contract',
  'other',
] as const;
export const markingKindSchema = z.enum(markingKinds).describe('What the marking records');
export type MarkingKind = z.infer<typeof markingKindSchema>;

export const legibilities = ['legible', 'partial', 'illegible'] as const;
export const legibilitySchema = z
  .enum(legibilities)
  .describe("Derived from the text: no '?' is legible, some is partial, only '?' is illegible");

const markingTextSchema = z
  .string()
  .min(1)
  .max(500)
  .refine((text) => text.trim() !== '', {
    message: 'transcribe at least one character; write ? for one you cannot read',
    params: { code: 'required' },
  })
  .describe("Exactly as transcribed, in its own script; '?' for each character that cannot be read");
const positionSchema = storedText().min(1).max(200).describe('Where on the item, e.g. "left side of the body"');
const scriptSchema = z
  .string()
  .regex(/^(?:[A-Z][a-z]{3}|mixed)$/, 'an ISO 15924 code such as Latn, Cyrl or Arab, or mixed')
  .describe('ISO 15924 code (Latn, Cyrl, Arab, …) or mixed; detected from the text when left out');

export const markingSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  item_id: z.uuid(),
  text: z.string(),
  normalized: z.string().describe('Comparable form: NFKC, lower case, ASCII digits, no separators'),
  kind: markingKindSchema,
  position: z.string().nullable(),
  script: z.string().nullable(),
  legibility: legibilitySchema,
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  ...sensitivityResponseFields,
});
export type Marking = z.infer<typeof markingSchema>;
export const markingPageSchema = pageSchema(markingSchema);

/** One marking to add, alone or within a new item's `markings`. */
export const createMarkingBodySchema = z.object({
  id: clientRecordIdSchema.optional(),
  text: markingTextSchema,
  kind: markingKindSchema,
  position: positionSchema.nullable().optional(),
  script: scriptSchema.nullable().optional(),
  ...sensitivityCreateFields,
});
export type CreateMarkingInput = z.input<typeof createMarkingBodySchema>;
export type ParsedMarkingInput = z.output<typeof createMarkingBodySchema>;

export const updateMarkingBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  text: markingTextSchema.optional().describe('A new text re-derives normalized, legibility and (unless given) script'),
  kind: markingKindSchema.optional(),
  position: positionSchema.nullable().optional(),
  script: scriptSchema.nullable().optional(),
  ...sensitivityUpdateFields,
});
export type UpdateMarkingInput = z.input<typeof updateMarkingBodySchema>;

export const searchTextSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe(
    'What to find. Plain text matches fuzzily (look-alikes, digit scripts, separators and misread characters are ' +
      'forgiven); `?` is one unreadable character, `*` any run, `[AB]` A or B, `\\` escapes. See docs/markings.md.',
  );

export const markingSearchQuerySchema = pageQuerySchema.extend({
  q: searchTextSchema.optional().describe('Text to find (the marking query language), closest matches first'),
  kind: markingKindSchema.optional(),
});
export type MarkingSearchQuery = z.output<typeof markingSearchQuerySchema>;

export const markingSearchResultSchema = markingSchema.extend({
  similarity: z.number().nullable().describe('Match score (0-1, 1 for identical up to folding); null without q'),
});
export type MarkingSearchResult = z.infer<typeof markingSearchResultSchema>;
export const markingSearchPageSchema = pageSchema(markingSearchResultSchema);
