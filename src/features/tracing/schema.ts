import { z } from 'zod';
import { sensitivityCreateFields, sensitivityResponseFields, sensitivityUpdateFields } from '../sensitivity/schema.js';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';

const dateSchema = z.iso.date().describe('YYYY-MM-DD');
const lotMarkingSchema = storedText()
  .min(1)
  .max(500)
  .refine((text) => /[\p{L}\p{N}]/u.test(text), 'a lot marking needs at least one letter or digit')
  .describe('The lot marking as written');
const booleanQuerySchema = z
  .enum(['true', 'false'])
  .default('false')
  .transform((value) => value === 'true');

// ---------------------------------------------------------------- trace requests

export const traceRequestStatuses = [
  'draft',
  'sent',
  'acknowledged',
  'answered',
  'no_response',
  'declined',
  'closed',
] as const;
export const traceRequestStatusSchema = z.enum(traceRequestStatuses).describe('Where the request stands');
export type TraceRequestStatus = z.infer<typeof traceRequestStatusSchema>;

/** The workflow of a request: which status may follow which. Any open request may be closed. */
export const nextStatuses: Record<TraceRequestStatus, readonly TraceRequestStatus[]> = {
  draft: ['sent', 'closed'],
  sent: ['acknowledged', 'answered', 'no_response', 'declined', 'closed'],
  acknowledged: ['answered', 'declined', 'no_response', 'closed'],
  answered: ['closed'],
  no_response: ['closed'],
  declined: ['closed'],
  closed: [],
};

/** Statuses in which the addressee still owes an answer, so a passed due date makes the request overdue. */
export const awaitingAnswerStatuses: readonly TraceRequestStatus[] = ['sent', 'acknowledged'];

export const traceRequestSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  addressee_id: z.uuid(),
  addressee_name: z.string().describe('Name of the addressee actor'),
  subject: z.string(),
  lot_marking: z.string().nullable(),
  status: traceRequestStatusSchema,
  sent_on: z.string().nullable(),
  due_on: z.string().nullable(),
  response_text: z.string().nullable(),
  overdue: z.boolean().describe('Sent or acknowledged, and the due date (UTC) has passed'),
  item_ids: z.array(z.uuid()).describe('Items the request covers'),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type TraceRequest = z.infer<typeof traceRequestSchema>;
export const traceRequestPageSchema = pageSchema(traceRequestSchema);

function dueNotBeforeSent(value: { sent_on?: string | null; due_on?: string | null }, context: z.RefinementCtx): void {
  if (typeof value.sent_on === 'string' && typeof value.due_on === 'string' && value.due_on < value.sent_on) {
    context.addIssue({ code: 'custom', path: ['due_on'], message: 'the due date cannot be before the date sent' });
  }
}

export const createTraceRequestBodySchema = z
  .object({
    addressee_id: z.uuid().describe('The actor asked to trace (manufacturer, exporting state…)'),
    subject: storedText().min(1).max(300),
    lot_marking: lotMarkingSchema.nullable().optional(),
    status: traceRequestStatusSchema
      .default('draft')
      .describe('Usually draft; a request already sent or answered may be recorded as such'),
    sent_on: dateSchema.nullable().optional(),
    due_on: dateSchema.nullable().optional(),
    response_text: z.string().max(50_000).nullable().optional(),
    item_ids: z.array(z.uuid()).max(1000).default([]).describe('Items the request covers'),
  })
  .superRefine(dueNotBeforeSent);
export type CreateTraceRequestInput = z.input<typeof createTraceRequestBodySchema>;

export const updateTraceRequestBodySchema = z
  .object({
    version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
    addressee_id: z.uuid().optional(),
    subject: storedText().min(1).max(300).optional(),
    lot_marking: lotMarkingSchema.nullable().optional(),
    status: traceRequestStatusSchema
      .optional()
      .describe(
        'draft→sent; sent→acknowledged|answered|no_response|declined; acknowledged→answered|declined|no_response; any→closed. Marking a request sent without sent_on records today.',
      ),
    sent_on: dateSchema.nullable().optional(),
    due_on: dateSchema.nullable().optional(),
    response_text: z.string().max(50_000).nullable().optional(),
  })
  .superRefine(dueNotBeforeSent);
export type UpdateTraceRequestInput = z.input<typeof updateTraceRequestBodySchema>;

export const traceRequestSortKeys = ['created', 'overdue', 'subject', 'addressee', 'status', 'age', 'due'] as const;
export type TraceRequestSortKey = (typeof traceRequestSortKeys)[number];

export const traceRequestListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(traceRequestSortKeys, 'created').shape,
  status: traceRequestStatusSchema.optional(),
  addressee_id: z.uuid().optional(),
  overdue: booleanQuerySchema.describe('Only requests past their due date and still awaiting an answer'),
});
export type TraceRequestListQuery = z.output<typeof traceRequestListQuerySchema>;

export const linkItemBodySchema = z.object({ item_id: z.uuid() });
export type LinkItemInput = z.input<typeof linkItemBodySchema>;

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

// ---------------------------------------------------------------- reminders, documents, history

export const remindersQuerySchema = z.object({
  as_of: dateSchema.optional().describe('The day overdue is judged on (YYYY-MM-DD, UTC); today by default'),
});
export type RemindersQuery = z.output<typeof remindersQuerySchema>;

export const traceRequestReminderSchema = traceRequestSchema.extend({
  days_overdue: z.number().int().describe('Days since the due date'),
  days_since_sent: z.number().int().nullable().describe('Days since the request was sent'),
});
export type TraceRequestReminder = z.infer<typeof traceRequestReminderSchema>;

export const remindersSchema = z.object({
  as_of: z.string(),
  items: z.array(traceRequestReminderSchema).describe('Most overdue first'),
});
export type Reminders = z.infer<typeof remindersSchema>;

export const traceRequestDocumentKinds = ['request', 'response', 'reminder', 'annex'] as const;
export const traceRequestDocumentKindSchema = z
  .enum(traceRequestDocumentKinds)
  .describe('request: the letter sent; response: the answer; reminder: a reminder sent; annex: anything else');
export type TraceRequestDocumentKind = z.infer<typeof traceRequestDocumentKindSchema>;

export const traceRequestDocumentSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  trace_request_id: z.uuid(),
  media_id: z.uuid(),
  kind: traceRequestDocumentKindSchema,
  description: z.string(),
  original_filename: z.string().nullable().describe('Of the media record'),
  media_type: z.string().describe('Of the media record'),
  sha256: z.string().describe('Of the media record: identifies the bytes'),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type TraceRequestDocument = z.infer<typeof traceRequestDocumentSchema>;

export const attachDocumentBodySchema = z.object({
  media_id: z.uuid().describe('A media record of the same investigation (upload it first)'),
  kind: traceRequestDocumentKindSchema,
  description: storedText().max(2000).default(''),
});
export type AttachDocumentInput = z.input<typeof attachDocumentBodySchema>;

export const documentListQuerySchema = z.object({
  include_archived: booleanQuerySchema.describe('Also list detached (archived) documents'),
});
export type DocumentListQuery = z.output<typeof documentListQuerySchema>;

export const traceRequestDocumentListSchema = z.object({ items: z.array(traceRequestDocumentSchema) });

export const historyEntrySchema = z.object({
  seq: z.number().int().describe('Position in the audit chain'),
  at: z.string(),
  actor_label: z.string().describe('Who made the change'),
  via: z.string(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.uuid(),
  changes: z
    .array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() }))
    .describe('Fields that changed (all set fields for a creation)'),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const traceRequestHistorySchema = z.object({
  trace_request_id: z.uuid(),
  entries: z.array(historyEntrySchema).describe('Oldest first: the request, its items and its documents'),
});
export type TraceRequestHistory = z.infer<typeof traceRequestHistorySchema>;
