import { z } from 'zod';

/** Serial runs and shared lots: groups of markings that probably came together (one shipment, one lot). */
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
