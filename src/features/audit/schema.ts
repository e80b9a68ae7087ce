import { z } from 'zod';
import { sortQuerySchema } from '../../db/pagination.js';

export const auditEntrySchema = z.object({
  seq: z
    .number()
    .int()
    .describe('In an investigation’s history: the entry’s position in that history (1, 2, 3, …), not the global one'),
  at: z.string(),
  actor_id: z.string().nullable(),
  actor_label: z.string(),
  via: z.string(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  investigation_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** What the audit log can be sorted by: position (time), action, who, kind of record; ties by position. */
export const auditSortKeys = ['seq', 'action', 'user', 'record'] as const;
export type AuditSortKey = (typeof auditSortKeys)[number];

export const auditListQuerySchema = z.object({
  before_seq: z.coerce.number().int().positive().optional().describe('Entries before this position (seq)'),
  entity_id: z.uuid().optional().describe('Only the entries about this record'),
  user_id: z.uuid().optional().describe('Only the entries written by this user'),
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*$/, 'an action such as item.update, or a prefix such as item')
    .max(100)
    .optional()
    .describe('Only this action (item.update), or every action of a kind (item)'),
  from: z.iso.date().optional().describe('Only entries on or after this day (YYYY-MM-DD, UTC)'),
  to: z.iso.date().optional().describe('Only entries on or before this day (YYYY-MM-DD, UTC)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  ...sortQuerySchema(auditSortKeys, 'seq', 'desc').shape,
  after_seq: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('The `next_after_seq` of the previous page: the entries that follow it in the chosen order'),
});
export type AuditListQuery = z.infer<typeof auditListQuerySchema>;

export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  next_before_seq: z
    .number()
    .int()
    .nullable()
    .describe('Sorted by seq, newest first (the default): send as before_seq for the next, older page; else null'),
  next_after_seq: z
    .number()
    .int()
    .nullable()
    .describe('Send as after_seq (with the same sort and order) for the next page; null on the last page'),
});

export const auditProblemSchema = z.object({
  kind: z.enum([
    'broken_link',
    'gap',
    'row_changed',
    'row_unaudited',
    'checkpoint_mismatch',
    'checkpoint_signature',
    'file_missing',
    'file_changed',
    'timestamp_invalid',
  ]),
  seq: z.number().int().optional(),
  entity_type: z.string().optional(),
  entity_id: z.string().optional(),
  path: z.string().optional().describe('The stored original at fault (file_missing, file_changed)'),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof auditProblemSchema>;

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  rows_checked: z.number().int(),
  checkpoints_checked: z.number().int().describe('Recorded (and given) checkpoints the chain was checked against'),
  files_checked: z.number().int().describe('Stored originals re-hashed'),
  timestamps_checked: z
    .number()
    .int()
    .describe('RFC 3161 timestamp tokens of checkpoints checked against their checkpoint and the TSA CA'),
  problems: z.array(auditProblemSchema),
});
export type VerifyResult = z.infer<typeof verifyResultSchema>;
