import { z } from 'zod';

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
