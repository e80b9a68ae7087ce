/** A database row as it travels in JSON: timestamps become ISO 8601 strings in UTC. */
export type JsonRecord<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

/**
 * Converts a row to its JSON form, used for API responses and audit snapshots
 * alike, so that what the audit log records is exactly what clients saw.
 */
export function toJsonRecord<T extends object>(row: T): JsonRecord<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = value instanceof Date ? value.toISOString() : value;
  }
  return out as JsonRecord<T>;
}

/**
 * Deterministic JSON: object keys sorted, no white space. The audit hash is
 * computed over this form, so it must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    // Arrays of plain values (an import batch's [id, digest] pairs) have no keys to sort.
    if (isFlatArray(value)) return JSON.stringify(value);
    return `[${value.map((entry) => canonicalJson(entry)).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
}

function isPlainValue(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number';
}

/** Strings, numbers, booleans and nulls, or arrays of them: what JSON.stringify already writes canonically. */
function isFlatArray(values: readonly unknown[]): boolean {
  for (const value of values) {
    if (isPlainValue(value)) continue;
    if (!Array.isArray(value)) return false;
    for (const inner of value as unknown[]) if (!isPlainValue(inner)) return false;
  }
  return true;
}
