import { z } from 'zod';
import { pageQuerySchema } from '../../db/pagination.js';
import { itemCategorySchema } from '../items/schema.js';
import { markingKindSchema, markingSchema, searchTextSchema } from './schema.js';

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

export const groupScopeQuerySchema = z.object({
  investigation_id: z.uuid().optional().describe('Only this investigation (default: every one you can read)'),
  limit: z.coerce.number().int().min(1).max(200).default(20).describe('Groups (1-200)'),
});

export const serialRunsQuerySchema = groupScopeQuerySchema.extend({
  max_gap: z.coerce
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(50)
    .describe('Largest difference between neighbouring serial numbers within one run'),
  min_items: z.coerce.number().int().min(2).max(1000).default(3).describe('Smallest run worth showing'),
});
export type SerialRunsInput = z.output<typeof serialRunsQuerySchema>;
export type SharedLotsInput = z.output<typeof groupScopeQuerySchema>;

const groupMemberSchema = z.object({
  marking_id: z.uuid(),
  item_id: z.uuid(),
  item_external_ref: z.string().nullable(),
  text: z.string(),
  site_id: z.uuid(),
  site_name: z.string(),
  investigation_id: z.uuid(),
});

const spreadSchema = z.object({
  items: z.number().int().describe('Distinct items'),
  sites: z.number().int().describe('Distinct sites'),
  investigations: z.number().int(),
  extent_km: z
    .number()
    .nullable()
    .describe('Diagonal of the box around the sites with coordinates, in km (null when fewer than two have any)'),
  first_recovered_on: z.string().nullable(),
  last_recovered_on: z.string().nullable(),
  members: z.array(groupMemberSchema).describe('Up to 50 members, in order'),
});

export const sharedLotSchema = spreadSchema.extend({
  confusion_key: z.string().describe('What the variants have in common (see docs/markings.md)'),
  variants: z.array(z.string()).describe('The different transcriptions (up to 10)'),
  markings: z.number().int(),
});
export type SharedLot = z.infer<typeof sharedLotSchema>;

export const serialRunSchema = spreadSchema.extend({
  model: z.string().nullable(),
  producer_id: z.uuid().nullable().describe("The actor of the items' 'produced' provenance claim, if any"),
  producer_name: z.string().nullable(),
  prefix: z.string().describe('The skeleton of what comes before the number'),
  width: z.number().int().describe('Digits in the number'),
  first_number: z.string(),
  last_number: z.string(),
});
export type SerialRun = z.infer<typeof serialRunSchema>;

export const sharedLotListSchema = z.object({ items: z.array(sharedLotSchema) });
export const serialRunListSchema = z.object({ items: z.array(serialRunSchema) });
