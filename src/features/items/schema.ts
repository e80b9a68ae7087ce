import { z } from 'zod';
import { sensitivityCreateFields, sensitivityResponseFields, sensitivityUpdateFields } from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';
import { clientRecordIdSchema } from '../../db/record-ids.js';
import { createMarkingBodySchema, markingSchema } from '../markings/schema.js';

export const itemCategories = [
  'small_arm',
  'light_weapon',
  'launcher',
  'rocket',
  'rocket_motor',
  'tail_fin_assembly',
  'mortar_bomb',
  'artillery_projectile',
  'aircraft_bomb',
  'fuze',
  'primer_detonator',
  'cartridges',
  'ied_component',
  'precursor_chemical',
  'packaging',
  'production_tool',
  'document',
  'other',
] as const;
export const itemCategorySchema = z.enum(itemCategories).describe('Category from the controlled list');
export type ItemCategory = z.infer<typeof itemCategorySchema>;

/** Categories for which an unrecorded fuze state means "not known", never "not applicable". */
export const fuzedCategories: readonly ItemCategory[] = [
  'rocket',
  'mortar_bomb',
  'artillery_projectile',
  'aircraft_bomb',
];

export const assemblyStateSchema = z.enum(['complete', 'incomplete', 'component']);
export const conditionSchema = z.enum(['new', 'good', 'worn', 'corroded', 'damaged']);
export const productionTypeSchema = z.enum(['factory', 'craft', 'unknown']);
export const hazardStateSchema = z.enum(['yes', 'no', 'unknown']);
export const disposalStatusSchema = z
  .enum(['in_place', 'moved_to_storage', 'rendered_safe', 'destroyed', 'transferred'])
  .describe('Where the item stands with clearance; a status only');

/** Tags are compared as written by anyone: trimmed, lower case, each once. */
const tagsSchema = z
  .array(z.string().trim().toLowerCase().min(1).max(100))
  .max(100)
  .transform((tags) => [...new Set(tags)])
  .describe('Free tags; trimmed, lower-cased and deduplicated');

export const itemSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  site_id: z.uuid(),
  zone_id: z.uuid().nullable(),
  external_ref: z.string().nullable(),
  category: itemCategorySchema,
  model: z.string().nullable(),
  quantity: z.number().int(),
  assembly_state: assemblyStateSchema.nullable(),
  condition: conditionSchema.nullable(),
  production_type: productionTypeSchema,
  observations: z.string(),
  tags: z.array(z.string()),
  fuze_fitted: hazardStateSchema.nullable().describe('null: not applicable to this category'),
  safety_device_fitted: hazardStateSchema.nullable(),
  disposal_status: disposalStatusSchema,
  disposal_note: z.string().nullable().describe('Note given with the latest disposal status change'),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  ...sensitivityResponseFields,
});
export type Item = z.infer<typeof itemSchema>;
export const itemPageSchema = pageSchema(itemSchema);

export const itemDetailSchema = itemSchema.extend({ markings: z.array(markingSchema) });
export type ItemDetail = z.infer<typeof itemDetailSchema>;

const externalRefSchema = storedText().min(1).max(100).describe('Your own reference, unique in the investigation');
const modelSchema = storedText().min(1).max(200);
const quantitySchema = z.number().int().min(1).max(100_000_000).describe('Units counted (bulk items: how many)');
const observationsSchema = z.string().max(20_000);

export const createItemBodySchema = z.object({
  id: clientRecordIdSchema.optional(),
  site_id: z.uuid(),
  zone_id: z.uuid().nullable().optional().describe('A zone of the same site'),
  external_ref: externalRefSchema.nullable().optional(),
  category: itemCategorySchema,
  model: modelSchema.nullable().optional(),
  quantity: quantitySchema.default(1),
  assembly_state: assemblyStateSchema.nullable().optional(),
  condition: conditionSchema.nullable().optional(),
  production_type: productionTypeSchema.default('unknown'),
  observations: observationsSchema.default(''),
  tags: tagsSchema.default([]),
  fuze_fitted: hazardStateSchema
    .nullable()
    .optional()
    .describe('Left out: unknown for rockets, mortar bombs, artillery projectiles and aircraft bombs, else null'),
  safety_device_fitted: hazardStateSchema.nullable().optional(),
  disposal_status: disposalStatusSchema.default('in_place'),
  markings: z
    .array(createMarkingBodySchema)
    .max(500)
    .default([])
    .describe('Markings recorded together with the item, in one transaction'),
  ...sensitivityCreateFields,
});
export type CreateItemInput = z.input<typeof createItemBodySchema>;

export const updateItemBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  site_id: z.uuid().optional(),
  zone_id: z.uuid().nullable().optional(),
  external_ref: externalRefSchema.nullable().optional(),
  category: itemCategorySchema.optional(),
  model: modelSchema.nullable().optional(),
  quantity: quantitySchema.optional(),
  assembly_state: assemblyStateSchema.nullable().optional(),
  condition: conditionSchema.nullable().optional(),
  production_type: productionTypeSchema.optional(),
  observations: observationsSchema.optional(),
  tags: tagsSchema.optional(),
  fuze_fitted: hazardStateSchema.nullable().optional(),
  safety_device_fitted: hazardStateSchema.nullable().optional(),
  ...sensitivityUpdateFields,
});
export type UpdateItemInput = z.input<typeof updateItemBodySchema>;

export const disposalBodySchema = z.object({
  version: z.number().int().min(1),
  disposal_status: disposalStatusSchema,
  note: storedText().min(1).max(2000).optional().describe('e.g. who took the item, which team it was referred to'),
});
export type DisposalInput = z.input<typeof disposalBodySchema>;

export const itemSortKeys = [
  'created',
  'external_ref',
  'category',
  'model',
  'quantity',
  'condition',
  'production_type',
  'fuze_fitted',
  'disposal_status',
] as const;
export type ItemSortKey = (typeof itemSortKeys)[number];

export const itemListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(itemSortKeys, 'created').shape,
  site_id: z.uuid().optional(),
  zone_id: z.uuid().optional(),
  category: itemCategorySchema.optional(),
  condition: conditionSchema.optional(),
  production_type: productionTypeSchema.optional(),
  hazardous: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Only items on the hazard list'),
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in model, observations or external_ref'),
});
export type ItemListQuery = z.output<typeof itemListQuerySchema>;

export const hazardSchema = itemSchema.extend({ site_name: z.string() });
export type Hazard = z.infer<typeof hazardSchema>;
export const hazardListSchema = z.object({ items: z.array(hazardSchema) });
