import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';

/**
 * Who may see a record, from the widest audience to the narrowest (migrations/0025_sensitivity.sql): `public`
 * may be published, `partners` may go to named partners, `internal` stays in the organisation, `restricted` is
 * seen only by owners and the roles an owner granted it to.
 */
export const sensitivityLevels = ['public', 'partners', 'internal', 'restricted'] as const;
export const sensitivityLevelSchema = z
  .enum(sensitivityLevels)
  .describe(
    'Who may see the record: public (may be published), partners, internal (members), restricted (owners and granted roles)',
  );
export type SensitivityLevel = z.infer<typeof sensitivityLevelSchema>;

/** The roles an owner may grant sight of restricted records to (owners always see them). */
export const grantableRoles = ['editor', 'investigator', 'viewer'] as const;
export const grantableRoleSchema = z.enum(grantableRoles).describe('A role below owner');
export type GrantableRole = z.infer<typeof grantableRoleSchema>;

/** 0 for public … 3 for restricted: a record is visible when its rank is at most the reader's clearance. */
export function sensitivityRank(level: SensitivityLevel): number {
  return sensitivityLevels.indexOf(level);
}

/**
 * The levels at or below `level`, widest first.
 *
 * @example
 * levelsAtMost('internal'); // ['public', 'partners', 'internal']
 */
export function levelsAtMost(level: SensitivityLevel): SensitivityLevel[] {
  return sensitivityLevels.slice(0, sensitivityRank(level) + 1);
}

const reasonSchema = storedText()
  .min(1)
  .max(2000)
  .describe('Why the record has this sensitivity; required for restricted');

/** The fields a create body takes: the level (the investigation's default when left out) and its reason. */
export const sensitivityCreateFields = {
  sensitivity: sensitivityLevelSchema
    .optional()
    .describe("Who may see the record; the investigation's default when left out"),
  sensitivity_reason: reasonSchema.nullish(),
};

/** The fields an update body takes: left out stays as it is; a null reason clears it. */
export const sensitivityUpdateFields = {
  sensitivity: sensitivityLevelSchema.optional(),
  sensitivity_reason: reasonSchema.nullable().optional(),
};

/** The fields every record with a sensitivity answers with. */
export const sensitivityResponseFields = {
  sensitivity: sensitivityLevelSchema,
  sensitivity_reason: z.string().nullable(),
};

export const restrictedGrantSchema = z.object({
  role: grantableRoleSchema,
  granted_by: z.uuid(),
  granted_at: z.string(),
});
export type RestrictedGrant = z.infer<typeof restrictedGrantSchema>;

export const sensitivitySettingsSchema = z.object({
  investigation_id: z.uuid(),
  default_sensitivity: sensitivityLevelSchema,
  default_sensitivity_reason: z.string().nullable(),
  restricted_roles: z
    .array(restrictedGrantSchema)
    .describe('Roles besides owners that see restricted records (owners always do)'),
  clearance: sensitivityLevelSchema.describe('The highest level you may see in this investigation'),
  version: z.number().int().describe('The investigation’s version (send it back to change the default)'),
  can_change: z.boolean().describe('Whether you may change the default and the grants (owners)'),
});
export type SensitivitySettings = z.infer<typeof sensitivitySettingsSchema>;

export const updateSensitivityDefaultBodySchema = z.object({
  version: z.number().int().min(1).describe('The investigation’s version you read; a stale one gets 409'),
  default_sensitivity: sensitivityLevelSchema,
  default_sensitivity_reason: reasonSchema.nullish(),
});
export type UpdateSensitivityDefaultInput = z.input<typeof updateSensitivityDefaultBodySchema>;

export const restrictedGrantParamsSchema = z.object({ id: z.uuid(), role: grantableRoleSchema });
