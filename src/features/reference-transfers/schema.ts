import { z } from 'zod';

const partyKindSchema = z
  .enum(['state', 'non_state', 'organisation'])
  .describe('From SIPRI’s name suffixes: none = state, * = non-state actor, ** = international organisation');

export const referenceImportSchema = z.object({
  id: z.uuid(),
  dataset: z.literal('sipri_trade_register'),
  file_name: z.string(),
  sha256: z.string().describe('SHA-256 of the imported file: identifies exactly what was loaded'),
  encoding: z.string(),
  preamble: z.string().describe('The lines before the header, as published (source, date generated)'),
  row_count: z.number().int(),
  created_by: z.uuid(),
  created_at: z.string(),
});
export type ReferenceImport = z.infer<typeof referenceImportSchema>;

export const importSummarySchema = z.object({
  import: referenceImportSchema,
  uncertain: z
    .object({
      order_year: z.number().int(),
      number_ordered: z.number().int(),
      number_delivered: z.number().int(),
    })
    .describe('How many deals carry a "?" flag on each value'),
  joined_lines: z.array(z.number().int()).describe('Lines whose record continued on the next line'),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export const referenceTransferSchema = z.object({
  id: z.uuid(),
  line_number: z.number().int().describe('Line of the imported file'),
  supplier: z.string(),
  supplier_kind: partyKindSchema,
  recipient: z.string(),
  recipient_kind: partyKindSchema,
  state_to_state: z.boolean().describe('Both supplier and recipient are states'),
  order_year: z.number().int().nullable(),
  order_year_uncertain: z.boolean(),
  number_ordered: z.number().int().nullable(),
  number_ordered_uncertain: z.boolean(),
  designation: z.string(),
  description: z.string(),
  number_delivered: z.number().int().nullable(),
  number_delivered_uncertain: z.boolean(),
  delivery_years: z.array(z.number().int()),
  status: z.string(),
  comments: z.string(),
  tiv_per_unit: z.number().nullable(),
  tiv_total_order: z.number().nullable(),
  tiv_delivered: z.number().nullable(),
});
export type ReferenceTransfer = z.infer<typeof referenceTransferSchema>;

export const transferLeadSchema = referenceTransferSchema.extend({
  matched_on: z.string().describe('The words of the item’s model or model marking that matched the designation'),
});
export type TransferLead = z.infer<typeof transferLeadSchema>;

export const supplierSummarySchema = z.object({
  supplier: z.string(),
  supplier_kind: partyKindSchema,
  deals: z.number().int(),
  recipients: z.array(z.string()),
  number_delivered: z.number().int().describe('Sum of the numbers delivered recorded'),
  first_year: z.number().int().nullable().describe('Earliest year of order or delivery'),
  last_year: z.number().int().nullable().describe('Latest year of order or delivery'),
});

export const transferLeadsSchema = z.object({
  item_id: z.uuid(),
  searched: z.array(z.string()).describe('The item texts looked up: its model and its model markings'),
  import: referenceImportSchema.nullable().describe('The reference import searched; null when none exists'),
  leads: z.array(transferLeadSchema).describe('State-to-state deals first, then by supplier and year'),
  suppliers: z.array(supplierSummarySchema).describe('The leads grouped by supplier: who to ask'),
});
export type TransferLeads = z.infer<typeof transferLeadsSchema>;

export const transferSearchQuerySchema = z.object({
  designation: z.string().trim().min(1).max(200).describe('A designation, any case, spaces or dashes'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type TransferSearchQuery = z.output<typeof transferSearchQuerySchema>;

export const transferSearchSchema = z.object({
  import: referenceImportSchema.nullable(),
  items: z.array(transferLeadSchema),
});
export type TransferSearch = z.infer<typeof transferSearchSchema>;

export const importListSchema = z.object({ items: z.array(referenceImportSchema) });
