// How the outbox shows a record waiting on the device and reads back what the user corrected: plain functions,
// tested with node:test (recordFields.test.ts beside it).
import { fieldErrorMessage } from '../../api/fieldErrors';
import type { I18n, MessageKey } from '../../i18n/i18n';
import type { OutboxEntry } from '../../offline/outbox';

export type Json = Record<string, unknown>;

/** Fields of a record that are bookkeeping, not what the user wrote. */
export const bookkeeping = new Set([
  'id',
  'investigation_id',
  'created_by',
  'created_at',
  'updated_at',
  'version',
  'archived_at',
  'archive_reason',
  'normalized',
]);

/** The form label of a field the capture pages write, by the operation's record type. */
export const fieldLabels: Record<string, MessageKey> = {
  disposal_status: 'item.disposalStatus',
  note: 'item.disposalNote',
  category: 'item.category',
  model: 'item.model',
  quantity: 'item.quantity',
  condition: 'item.condition',
  observations: 'item.observations',
  external_ref: 'item.externalRef',
  zone_id: 'item.zone',
  name: 'site.name',
  site_type: 'site.type',
  latitude: 'site.latitude',
  longitude: 'site.longitude',
  precision_m: 'site.precision',
  context: 'site.context',
  recovered_on: 'site.recoveredOn',
};

/** Controlled-vocabulary fields: their values are shown by their label. */
export const vocabularyOf: Record<string, string> = {
  disposal_status: 'disposal',
  category: 'category',
  condition: 'condition',
  site_type: 'siteType',
};

/**
 * A field's value as the outbox shows and edits it: text as it is, nothing as empty, anything else as JSON.
 *
 * @example shown(null) // ''
 * @example shown(['a', 'b']) // '["a","b"]'
 */
export const shown = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * A typed value back from its text, keeping the type the field had (a number stays a number).
 *
 * @example parsedLike(3, '4') // 4
 * @example parsedLike(null, '') // null
 */
export function parsedLike(original: unknown, text: string): unknown {
  if (typeof original === 'number') return text.trim() === '' ? null : Number(text);
  if (typeof original === 'string' || original === null || original === undefined)
    return text === '' && original === null ? null : text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The field problems of a refused record, by field, rendered by the one translator of field errors.
 *
 * @example problemErrors(entry, t).quantity // 'Must be a whole number'
 */
export function problemErrors(entry: OutboxEntry, t: I18n['t']): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const field of entry.problem?.fields ?? [])
    byField[field.field] ??= fieldErrorMessage(t, {
      field: field.field,
      message: field.message,
      code: field.code ?? 'invalid',
      params: field.params ?? {},
    });
  return byField;
}
