import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';

const dateSchema = z.iso.date().describe('YYYY-MM-DD');
/** A lot marking as trace requests and provenance claims name it. */
export const lotMarkingSchema = storedText()
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
