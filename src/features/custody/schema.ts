import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { clientRecordIdSchema } from '../../db/record-ids.js';

export const custodyEventSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  item_id: z.uuid(),
  from_party: z.string(),
  to_party: z.string(),
  occurred_at: z.string(),
  place: z.string().nullable(),
  note: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
});
export type CustodyEvent = z.infer<typeof custodyEventSchema>;
export const custodyEventListSchema = z.object({ items: z.array(custodyEventSchema) });

const partySchema = storedText().min(1).max(300);

export const createCustodyEventBodySchema = z.object({
  id: clientRecordIdSchema.optional(),
  from_party: partySchema.describe('Who handed the item over'),
  to_party: partySchema.describe('Who received it'),
  occurred_at: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('When the hand-over happened (ISO 8601); now when left out'),
  place: storedText().min(1).max(300).nullable().optional(),
  note: z.string().max(5000).default(''),
});
export type CreateCustodyEventInput = z.input<typeof createCustodyEventBodySchema>;
