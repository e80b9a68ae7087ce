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

/** Which field each header of a file fills: a field name, or null to leave the column out on purpose. */
export const importMappingSchema = z
  .record(z.string().max(300), z.enum(importColumns).nullable())
  .describe('Header of the file → the field it fills, or null to leave that column out');
export type ImportMapping = z.infer<typeof importMappingSchema>;

/** One column of the file as the import reads it. */
export const importColumnAssignmentSchema = z.object({
  header: z.string().describe('The header as written in the file'),
  field: z.enum(importColumns).nullable().describe('The field it fills; null: not imported'),
  source: z
    .enum(['mapping', 'recognised', 'none'])
    .describe('From the given mapping, recognised from the header (name or synonym in en/fr/ar), or not at all'),
});

/** A mapping kept in an investigation under a name, to import files of the same shape again. */
export const savedImportMappingSchema = z.object({
  id: z.string(),
  name: z.string(),
  mapping: importMappingSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export type SavedImportMapping = z.infer<typeof savedImportMappingSchema>;
export const saveImportMappingBodySchema = z.object({
  name: z.string().trim().min(1).max(100).describe('Unique in the investigation; saving under a name replaces it'),
  mapping: importMappingSchema,
});

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

/** One problem of a previewed file: where it is, its stable field-problem code and parameters, and English text. */
export const importPreviewProblemSchema = z.object({
  line: z.number().int().describe('Line of the file (1 is the header)'),
  column: z.string().nullable().describe('The column at fault, when one is'),
  code: z.string().describe('Stable field-problem code (src/errors.ts fieldProblemCodes)'),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  message: z.string().describe('English text, for clients without the code'),
});

/** What an import would do, computed without writing anything (a dry run). */
export const importPreviewSchema = z.object({
  format: z.enum(['csv', 'xlsx']).describe('Read as CSV (comma or semicolon) or as an XLSX workbook'),
  encoding: z.enum(['utf-8', 'iso-8859-1']).nullable().describe('null when the encoding itself is not clear'),
  columns: z
    .array(importColumnAssignmentSchema)
    .describe('Each column of the header, in order, and the field it fills: the proposed (or given) mapping'),
  rows: z.number().int(),
  sites_created: z.number().int(),
  sites_reused: z.number().int().describe('Sites the investigation already has under that site_ref'),
  items_created: z.number().int(),
  markings_created: z.number().int(),
  sites: z
    .array(
      z.object({
        site_ref: z.string(),
        name: z.string().nullable(),
        site_type: z.string().nullable(),
        reused: z.boolean(),
        items: z.number().int().describe('Items of the file at this site'),
      }),
    )
    .describe('The sites of the file, in order of first appearance (the first 200)'),
  problems_total: z.number().int().describe('0: the file can be imported as previewed'),
  problems: z.array(importPreviewProblemSchema).describe('The first 100 problems, by line'),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;
