import { z } from 'zod';
import { sensitivityCreateFields, sensitivityResponseFields, sensitivityUpdateFields } from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema } from '../../db/pagination.js';

import { lotMarkingSchema } from '../trace-requests/schema.js';

const dateSchema = z.iso.date().describe('YYYY-MM-DD');

// ---------------------------------------------------------------- provenance claims

/** In the order they happen in an item's life; item provenance is listed in this order. */
export const provenanceEventTypes = ['produced', 'exported', 'transferred', 'diverted', 'recovered'] as const;
export const provenanceEventTypeSchema = z.enum(provenanceEventTypes).describe('What happened');
export type ProvenanceEventType = z.infer<typeof provenanceEventTypeSchema>;

export const confidenceSchema = z.enum(['confirmed', 'probable', 'possible']).describe('How sure the claim is');
export type Confidence = z.infer<typeof confidenceSchema>;

export const provenanceClaimSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  item_id: z.uuid().nullable().describe('The item the claim is about, or null for a lot'),
  lot_marking: z.string().nullable().describe('The lot the claim is about, or null for an item'),
  lot_normalized: z.string().nullable().describe('The lot marking in the comparable form markings use'),
  event_type: provenanceEventTypeSchema,
  actor_id: z.uuid().nullable().describe('Who produced, exported, transferred, diverted or recovered'),
  counterpart_id: z.uuid().nullable().describe('The other party (recipient of an export or transfer…)'),
  occurred_from: z.string().nullable(),
  occurred_to: z.string().nullable(),
  place: z.string().nullable(),
  source_id: z.uuid().nullable(),
  trace_request_id: z.uuid().nullable(),
  confidence: confidenceSchema,
  notes: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  ...sensitivityResponseFields,
});
export type ProvenanceClaim = z.infer<typeof provenanceClaimSchema>;
export const provenanceClaimPageSchema = pageSchema(provenanceClaimSchema);

function toNotBeforeFrom(
  value: { occurred_from?: string | null; occurred_to?: string | null },
  context: z.RefinementCtx,
): void {
  if (
    typeof value.occurred_from === 'string' &&
    typeof value.occurred_to === 'string' &&
    value.occurred_to < value.occurred_from
  ) {
    context.addIssue({ code: 'custom', path: ['occurred_to'], message: 'the range cannot end before it starts' });
  }
}

const claimFields = {
  event_type: provenanceEventTypeSchema,
  actor_id: z.uuid().nullable().optional(),
  counterpart_id: z.uuid().nullable().optional(),
  occurred_from: dateSchema.nullable().optional().describe('Earliest date (YYYY-MM-DD)'),
  occurred_to: dateSchema.nullable().optional().describe('Latest date (YYYY-MM-DD)'),
  place: storedText().min(1).max(300).nullable().optional(),
  source_id: z.uuid().nullable().optional(),
  trace_request_id: z.uuid().nullable().optional().describe('The trace request whose answer supports the claim'),
  confidence: confidenceSchema,
  notes: z.string().max(20_000),
};

export const createProvenanceClaimBodySchema = z
  .object({
    item_id: z.uuid().nullable().optional(),
    lot_marking: lotMarkingSchema.nullable().optional(),
    ...claimFields,
    notes: claimFields.notes.default(''),
    ...sensitivityCreateFields,
  })
  .superRefine((value, context) => {
    if ((value.item_id ?? null) === null && (value.lot_marking ?? null) === null) {
      context.addIssue({ code: 'custom', path: ['item_id'], message: 'give the item_id or the lot_marking' });
    }
    if ((value.item_id ?? null) !== null && (value.lot_marking ?? null) !== null) {
      context.addIssue({
        code: 'custom',
        path: ['item_id'],
        message: 'a claim is about one item or one lot: give item_id or lot_marking, not both',
      });
    }
    toNotBeforeFrom(value, context);
  });
export type CreateProvenanceClaimInput = z.input<typeof createProvenanceClaimBodySchema>;

export const updateProvenanceClaimBodySchema = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
    item_id: z.uuid().nullable().optional(),
    lot_marking: lotMarkingSchema.nullable().optional(),
    event_type: claimFields.event_type.optional(),
    actor_id: claimFields.actor_id,
    counterpart_id: claimFields.counterpart_id,
    occurred_from: claimFields.occurred_from,
    occurred_to: claimFields.occurred_to,
    place: claimFields.place,
    source_id: claimFields.source_id,
    trace_request_id: claimFields.trace_request_id,
    confidence: claimFields.confidence.optional(),
    notes: claimFields.notes.optional(),
    ...sensitivityUpdateFields,
  })
  .superRefine(toNotBeforeFrom);
export type UpdateProvenanceClaimInput = z.input<typeof updateProvenanceClaimBodySchema>;

export const provenanceClaimListQuerySchema = pageQuerySchema.extend({
  item_id: z.uuid().optional().describe('Only claims about this item itself'),
  lot_marking: z.string().trim().min(1).max(500).optional().describe('Only claims about this lot (any spelling)'),
  event_type: provenanceEventTypeSchema.optional(),
});
export type ProvenanceClaimListQuery = z.output<typeof provenanceClaimListQuerySchema>;

const conflictsWithSchema = z
  .array(z.uuid())
  .describe(
    'Claims of the same event that contradict this one (another actor, or dates that cannot both be true); both are kept and shown, never merged',
  );

export const itemProvenanceClaimSchema = provenanceClaimSchema.extend({
  inherited_from_lot: z
    .string()
    .nullable()
    .describe('Null for a claim about the item itself; else the item’s lot marking the claim is about'),
  conflicts_with: conflictsWithSchema,
});
export type ItemProvenanceClaim = z.infer<typeof itemProvenanceClaimSchema>;

export const itemProvenanceSchema = z.object({
  item_id: z.uuid(),
  claims: z.array(itemProvenanceClaimSchema).describe('In event order, then by date'),
});
export type ItemProvenance = z.infer<typeof itemProvenanceSchema>;

export const lotProvenanceQuerySchema = z.object({
  lot_marking: z.string().trim().min(1).max(500).describe('The lot marking, any spelling of it'),
});

export const lotProvenanceSchema = z.object({
  lot_marking: z.string().describe('The lot marking as asked'),
  lot_normalized: z.string().describe('Its comparable form; every spelling with this form is the same lot'),
  items: z
    .array(
      z.object({
        item_id: z.uuid(),
        external_ref: z.string().nullable(),
        category: z.string(),
        site_id: z.uuid(),
        site_name: z.string(),
        marking_text: z.string().describe('The lot marking as transcribed on this item'),
      }),
    )
    .describe('Every live item of the investigation carrying the lot, wherever it was found'),
  claims: z
    .array(provenanceClaimSchema.extend({ conflicts_with: conflictsWithSchema }))
    .describe('Claims about the lot, in event order'),
});
export type LotProvenance = z.infer<typeof lotProvenanceSchema>;
