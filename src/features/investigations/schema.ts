import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';
import { pageQuerySchema, pageSchema, sortQuerySchema } from '../../db/pagination.js';
import { roleSchema } from '../access/schema.js';

export const investigationSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string(),
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
  my_role: roleSchema.describe('The caller’s role (owner for administrators)'),
});
export type Investigation = z.infer<typeof investigationSchema>;
export const investigationPageSchema = pageSchema(investigationSchema);

export const createInvestigationBodySchema = z.object({
  title: storedText().min(1).max(300),
  summary: z.string().max(20_000).default(''),
});
export type CreateInvestigationInput = z.input<typeof createInvestigationBodySchema>;

export const updateInvestigationBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  title: storedText().min(1).max(300).optional(),
  summary: z.string().max(20_000).optional(),
});
export type UpdateInvestigationInput = z.input<typeof updateInvestigationBodySchema>;

export const membershipSchema = z.object({
  id: z.uuid(),
  investigation_id: z.uuid(),
  user_id: z.uuid(),
  username: z.string(),
  role: roleSchema,
  created_by: z.uuid(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type Membership = z.infer<typeof membershipSchema>;

export const memberSortKeys = ['username', 'role', 'created'] as const;
export type MemberSortKey = (typeof memberSortKeys)[number];

/** The member list: sorted and paginated by the server, removed members only when asked. */
export const memberListQuerySchema = pageQuerySchema.extend({
  ...sortQuerySchema(memberSortKeys, 'username').shape,
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the user name'),
});
export type MemberListQuery = z.output<typeof memberListQuerySchema>;

export const addMemberBodySchema = z.object({
  username: z.string().min(1).max(100),
  role: roleSchema,
});
export type AddMemberInput = z.input<typeof addMemberBodySchema>;

export const updateMemberBodySchema = z.object({
  version: z.number().int().min(1),
  role: roleSchema,
});

export const memberParamsSchema = z.object({ id: z.uuid(), membershipId: z.uuid() });

export const overviewSchema = z.object({
  investigation_id: z.uuid(),
  counts: z.object({
    sites: z.number().int(),
    items: z.number().int(),
    item_units: z.number().int().describe('Sum of quantities'),
    markings: z.number().int(),
    hazardous_items: z.number().int(),
  }),
  by_category: z.array(z.object({ category: z.string(), items: z.number().int(), units: z.number().int() })),
  by_condition: z.array(z.object({ condition: z.string().nullable(), items: z.number().int() })),
  by_production_type: z.array(z.object({ production_type: z.string(), items: z.number().int() })),
});
export type Overview = z.infer<typeof overviewSchema>;
