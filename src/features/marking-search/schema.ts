import { z } from 'zod';
import { pageQuerySchema } from '../../db/pagination.js';
import { itemCategorySchema } from '../items/schema.js';
import { markingKindSchema, markingSchema, searchTextSchema } from '../markings/schema.js';

const dateSchema = z.iso.date();

export const rankedSearchQuerySchema = z.object({
  q: searchTextSchema,
  investigation_id: z.uuid().optional().describe('Only this investigation (default: every one you can read)'),
  kind: markingKindSchema.optional(),
  category: itemCategorySchema.optional().describe('Only markings on items of this category'),
  site_id: z.uuid().optional().describe('Only markings on items found at this site'),
  recovered_from: dateSchema.optional().describe('Only items whose site was recovered on or after this day'),
  recovered_to: dateSchema.optional().describe('Only items whose site was recovered on or before this day'),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Results (1-100)'),
  include_archived: pageQuerySchema.shape.include_archived,
});
export type MarkingSearchInput = z.output<typeof rankedSearchQuerySchema>;

export const differenceSchema = z.object({
  kind: z
    .enum([
      'look_alike',
      'digit_form',
      'confusion',
      'unreadable',
      'separator',
      'substituted',
      'missing',
      'extra',
      'transposed',
      'beyond_query',
    ])
    .describe(
      "look_alike: same character in another script (З/3); digit_form: another script's digit (٣/3); confusion: " +
        'easily misread (0/O); unreadable: a ? on either side; separator: on one side only; substituted, missing ' +
        '(in the marking), extra (in the marking), transposed: arbitrary edits; beyond_query: marking text past the query',
    ),
  query: z.string().nullable().describe("The query's characters there"),
  marking: z.string().nullable().describe("The marking's characters there"),
  marking_index: z.number().int().nullable().describe('Code point index in the marking text'),
  cost: z.number().describe('What this difference adds to the cost (an arbitrary edit costs 1)'),
});

export const markingHitSchema = markingSchema.extend({
  item: z.object({
    id: z.uuid(),
    external_ref: z.string().nullable().describe("The item's own reference (e.g. the import's item_ref)"),
    category: z.string(),
    model: z.string().nullable(),
  }),
  site: z.object({ id: z.uuid(), name: z.string(), external_ref: z.string().nullable() }),
  score: z.number().describe('1 for identical up to folding, falling towards 0'),
  cost: z.number().describe('Weighted edit distance: the sum of the differences’ costs'),
  differences: z.array(differenceSchema),
  explanation: z.string().describe('The differences in short, e.g. 3≈З, O→0?, sep "-"'),
});
export type MarkingHit = z.infer<typeof markingHitSchema>;
export const markingHitListSchema = z.object({ items: z.array(markingHitSchema) });

export const seenElsewhereQuerySchema = z.object({
  text: z.string().trim().min(1).max(500).describe('The marking as typed so far'),
  item_id: z.uuid().optional().describe('The item being described: its own markings are left out'),
  kind: markingKindSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10).describe('Results (1-50)'),
});
export type SeenElsewhereInput = z.output<typeof seenElsewhereQuerySchema>;
