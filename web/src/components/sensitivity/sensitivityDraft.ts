// The sensitivity a form sends: plain data and functions, tested with node:test (sensitivityDraft.test.ts beside it).
// The levels, widest audience first, are the API's (src/features/sensitivity/schema.ts).

export const sensitivityLevels = ['public', 'partners', 'internal', 'restricted'] as const;
export type SensitivityLevel = (typeof sensitivityLevels)[number];

/** The roles an owner may let see restricted records (owners always do). */
export const grantableRoles = ['editor', 'investigator', 'viewer'] as const;
export type GrantableRole = (typeof grantableRoles)[number];

/** What the form holds: a level, or '' for "the investigation's default" (left out, the server fills it in). */
export interface SensitivityDraft {
  level: SensitivityLevel | '';
  reason: string;
}

/** A record as the API answers it: its level and the reason given for it. */
export interface SensitivityOf {
  sensitivity: SensitivityLevel;
  sensitivity_reason: string | null;
}

/** The fields a create or update body takes. */
export interface SensitivityFields {
  sensitivity?: SensitivityLevel;
  sensitivity_reason?: string | null;
}

/** Refused before sending: a restricted record needs a reason. */
export type SensitivityResult =
  { ok: true; fields: SensitivityFields } | { ok: false; problem: 'sensitivity_reason_required' };

/** A new record's form: the investigation's default, no reason. */
export function newSensitivityDraft(): SensitivityDraft {
  return { level: '', reason: '' };
}

/** The form of a stored record. */
export function sensitivityDraftOf(record: SensitivityOf): SensitivityDraft {
  return { level: record.sensitivity, reason: record.sensitivity_reason ?? '' };
}

/** Whether the reason field is shown (and required). */
export function needsReason(draft: SensitivityDraft): boolean {
  return draft.level === 'restricted';
}

/** Whether the level may be seen by a reader of this clearance (a record above it would be hidden from them). */
export function isAtMost(level: SensitivityLevel, clearance: SensitivityLevel): boolean {
  return sensitivityLevels.indexOf(level) <= sensitivityLevels.indexOf(clearance);
}

/**
 * The fields of a create body: nothing for the investigation's default (the server fills it in), else the level
 * and, for restricted, its reason (required; trimmed like the other text fields of the forms). A reason typed
 * for restricted and then hidden by choosing another level is not sent.
 *
 * @example
 * sensitivityCreateFields({ level: '', reason: '' }) // { ok: true, fields: {} }
 * sensitivityCreateFields({ level: 'restricted', reason: ' ' }) // { ok: false, problem: 'sensitivity_reason_required' }
 */
export function sensitivityCreateFields(draft: SensitivityDraft): SensitivityResult {
  if (draft.level === '') return { ok: true, fields: {} };
  if (draft.level !== 'restricted') return { ok: true, fields: { sensitivity: draft.level } };
  const reason = draft.reason.trim();
  if (reason === '') return { ok: false, problem: 'sensitivity_reason_required' };
  return { ok: true, fields: { sensitivity: 'restricted', sensitivity_reason: reason } };
}

/**
 * The fields of an update body, compared with the stored record: nothing when unchanged; a new level with its
 * reason (required for restricted); leaving restricted clears the reason given for it; a changed reason of a
 * restricted record alone.
 *
 * @example
 * sensitivityChangeOf({ sensitivity: 'internal', sensitivity_reason: null }, { level: 'restricted', reason: 'Names a witness' })
 * // { ok: true, fields: { sensitivity: 'restricted', sensitivity_reason: 'Names a witness' } }
 */
export function sensitivityChangeOf(record: SensitivityOf, draft: SensitivityDraft): SensitivityResult {
  const level = draft.level === '' ? record.sensitivity : draft.level;
  const reason = draft.reason.trim();
  if (level === 'restricted') {
    if (reason === '') return { ok: false, problem: 'sensitivity_reason_required' };
    const fields: SensitivityFields = {};
    if (level !== record.sensitivity) fields.sensitivity = level;
    if (reason !== (record.sensitivity_reason ?? '')) fields.sensitivity_reason = reason;
    return { ok: true, fields };
  }
  if (level === record.sensitivity) return { ok: true, fields: {} };
  return {
    ok: true,
    fields: { sensitivity: level, ...(record.sensitivity_reason === null ? {} : { sensitivity_reason: null }) },
  };
}
