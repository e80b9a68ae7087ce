import { z } from 'zod';
import { itemCategories } from '../items/schema.js';
import { markingKinds } from '../markings/schema.js';
import { siteTypes } from '../sites/schema.js';

/**
 * The columns of an items CSV (docs/markings.md, "Bulk import"): one row per
 * marking; rows with the same item_ref build one item, rows with the same
 * site_ref one site. Only site_ref, item_ref and category must be present;
 * the order of the columns does not matter.
 */
export const importColumns = [
  'site_ref',
  'site_name',
  'site_type',
  'lat',
  'lon',
  'recovered_on',
  'item_ref',
  'category',
  'model',
  'quantity',
  'marking_kind',
  'marking_text',
  'marking_position',
] as const;
export type ImportColumn = (typeof importColumns)[number];
export const requiredImportColumns: readonly ImportColumn[] = ['site_ref', 'item_ref', 'category'];

export const importSiteTypes: readonly string[] = siteTypes;
export const importCategories: readonly string[] = itemCategories;
export const importMarkingKinds: readonly string[] = markingKinds;

/** One problem of the file, by line (1 is the header). */
export const importProblemSchema = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof importProblemSchema>;

export const importResultSchema = z.object({
  encoding: z.enum(['utf-8', 'iso-8859-1']),
  rows: z.number().int().describe('Data rows read (the header not counted)'),
  sites_created: z.number().int(),
  sites_reused: z.number().int().describe('Sites the investigation already had under that site_ref'),
  items_created: z.number().int(),
  markings_created: z.number().int(),
  seconds: z.number(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
