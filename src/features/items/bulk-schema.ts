import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { conditionSchema, disposalStatusSchema, itemCategorySchema, productionTypeSchema } from './schema.js';

/** The most items one bulk action changes: enough for a cache, small enough to stay one quick transaction. */
export const BULK_ITEM_LIMIT = 1000;

/** The same filter as the item list (GET /investigations/{id}/items), archived items never included. */
export const bulkItemFilterSchema = z.object({
  site_id: z.uuid().optional(),
  zone_id: z.uuid().optional(),
  category: itemCategorySchema.optional(),
  condition: conditionSchema.optional(),
  production_type: productionTypeSchema.optional(),
  hazardous: z.boolean().default(false).describe('Only items on the hazard list'),
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in model, observations or external_ref'),
});
export type BulkItemFilter = z.output<typeof bulkItemFilterSchema>;

const selectionShape = {
  item_ids: z
    .array(z.uuid())
    .min(1)
    .max(BULK_ITEM_LIMIT)
    .optional()
    .describe('The items to change (or give `filter` instead)'),
  filter: bulkItemFilterSchema.optional().describe('Every live item matching this filter (or give `item_ids`)'),
  excluded_item_ids: z
    .array(z.uuid())
    .max(BULK_ITEM_LIMIT)
    .optional()
    .describe('With `filter`: items left out of the selection ("all matching except these")'),
  expected_count: z
    .number()
    .int()
    .min(1)
    .max(BULK_ITEM_LIMIT)
    .optional()
    .describe(
      'With `filter`: how many items the user saw selected (matching, less those left out); a different count now is refused (409)',
    ),
};

const partySchema = storedText().min(1).max(300);

export const bulkItemsBodySchema = z
  .discriminatedUnion('action', [
    z.object({
      action: z.literal('hand_over').describe('A custody event for each item'),
      ...selectionShape,
      from_party: partySchema.describe('Who handed the items over'),
      to_party: partySchema.describe('Who received them'),
      occurred_at: z.iso.datetime({ offset: true }).optional().describe('When (ISO 8601); now when left out'),
      place: storedText().min(1).max(300).nullable().optional(),
      note: z.string().max(5000).default(''),
    }),
    z.object({
      action: z.literal('set_disposal').describe('The same disposal status for each item'),
      ...selectionShape,
      disposal_status: disposalStatusSchema,
      note: storedText().min(1).max(2000).optional().describe('e.g. which team the items were referred to'),
    }),
    z.object({
      action: z.literal('add_to_trace_request').describe('Cover each item by an open trace request'),
      ...selectionShape,
      trace_request_id: z.uuid(),
    }),
    z.object({
      action: z.literal('link_incident').describe('Link each item to an incident'),
      ...selectionShape,
      incident_id: z.uuid(),
    }),
  ])
  .superRefine((body, context) => {
    if ((body.item_ids === undefined) === (body.filter === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['item_ids'],
        message: 'give either item_ids or filter',
        params: { code: 'required' },
      });
    } else if (body.filter === undefined && body.excluded_item_ids !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['excluded_item_ids'],
        message: 'leave items out only of a filter',
        params: { code: 'not_allowed' },
      });
    } else if (body.filter !== undefined && body.expected_count === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['expected_count'],
        message: 'say how many items you saw matching the filter',
        params: { code: 'required' },
      });
    }
  })
  .describe('One action on many items, in one transaction: all of them change, or none');
export type BulkItemsInput = z.input<typeof bulkItemsBodySchema>;
export type BulkItemsBody = z.output<typeof bulkItemsBodySchema>;

export const bulkItemsResultSchema = z.object({
  action: z.enum(['hand_over', 'set_disposal', 'add_to_trace_request', 'link_incident']),
  changed_item_ids: z.array(z.uuid()).describe('The items this action changed'),
  unchanged_item_ids: z
    .array(z.uuid())
    .describe('Items that already were as asked (already covered by the request or linked to the incident)'),
  custody_event_ids: z.array(z.uuid()).describe('hand_over: the custody events recorded, one per item'),
});
export type BulkItemsResult = z.infer<typeof bulkItemsResultSchema>;

export const bulkItemsQuerySchema = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Check everything and say what would change, writing nothing'),
});

/** The item list's filter as a query string (GET /investigations/{id}/items/count). */
export const itemCountQuerySchema = bulkItemFilterSchema.extend({
  hazardous: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Only items on the hazard list'),
});
export const itemCountSchema = z.object({ count: z.number().int() });
