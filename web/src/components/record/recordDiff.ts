// What differs between two versions of a record, kept out of the components so it can be tested with node:test.

/** One field of a record as the record components show it. */
export interface RecordField {
  /** The field's name in the API record, e.g. `name` or `recovered_on`. */
  key: string;
  /** The field's name in the user's language. */
  label: string;
  /** The value as the user reads it; {@link valueText} when not given. */
  display?: (value: unknown) => string;
}

/**
 * Whether two field values are the same: deep equality of JSON values, object keys in any order.
 *
 * @example sameValue({ en: 'a', ar: 'ب' }, { ar: 'ب', en: 'a' }) // true
 */
export function sameValue(left: unknown, right: unknown): boolean {
  return canonical(left) === canonical(right);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonical(entry)}`).join(',')}}`;
}

/** A field of a record, read by its key. */
export function fieldValue(record: object, key: string): unknown {
  return (record as Record<string, unknown>)[key];
}

/**
 * The keys of the fields whose edited value differs from the server's current one; a field the user's values
 * do not have is not theirs to differ.
 *
 * @example differingKeys([{ key: 'name', label: 'Name' }], { name: 'Mosul' }, { name: 'Mosul west' }) // ['name']
 */
export function differingKeys(fields: readonly RecordField[], mine: object, current: object): string[] {
  return fields
    .filter((field) => field.key in mine && !sameValue(fieldValue(mine, field.key), fieldValue(current, field.key)))
    .map((field) => field.key);
}

/**
 * A value as plain text: `''` for nothing, text as typed, numbers as they are, `key: value` pairs for an object.
 *
 * @example valueText({ ar: 'الموصل' }) // 'ar: الموصل'
 */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  return Object.entries(value as Record<string, unknown>)
    .map(([key, entry]) => `${key}: ${valueText(entry)}`)
    .join(', ');
}

/** Columns every versioned row has that say nothing about what the user changed. */
const bookkeeping: ReadonlySet<string> = new Set([
  'id',
  'investigation_id',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'archived_at',
  'search_text',
]);

/** One changed field of an audit entry. */
export interface FieldChange {
  key: string;
  before: unknown;
  after: unknown;
}

/**
 * The fields an audited change altered (before → after), bookkeeping columns left out, in the order of the
 * record after the change. A created record (no `before`) lists nothing: its action says it was recorded.
 *
 * @example
 * changedFields({ name: 'a', version: 1 }, { name: 'b', version: 2 }) // [{ key: 'name', before: 'a', after: 'b' }]
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys
    .filter((key) => !bookkeeping.has(key) && !sameValue(before[key], after[key]))
    .map((key) => ({ key, before: before[key], after: after[key] }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
