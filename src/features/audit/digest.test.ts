import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '../../db/serialize.js';
import { snapshotDigest } from './import-batches.js';
import { digestColumns, rowDigester } from './service.js';

/** canonicalJson without its fast path for flat arrays: every array element written one by one. */
function slowCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((entry) => slowCanonicalJson(entry)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, entry]) => entry !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${slowCanonicalJson(entry)}`).join(',')}}`;
}

describe('canonical JSON', () => {
  it('writes flat arrays as element-by-element canonical JSON would', () => {
    const values: unknown[] = [
      [],
      [['0190a0b2-0000-7000-8000-000000000001', 'ab'.repeat(32)]],
      ['a "quoted" \\ value', 'ЗВ 045-84', '٣٨ ٨٩', 1.5, -0, null, true, Number.NaN],
      [[1, 2], [], ['x', null]],
      [{ b: 1, a: 2 }, [{ z: 1, y: 2 }]],
      [new Date('2026-11-25T10:00:00Z'), undefined],
      { created: { markings: [['id', 'digest']] }, batch: 3 },
    ];
    for (const value of values) assert.equal(canonicalJson(value), slowCanonicalJson(value));
  });
});

describe('row digests', () => {
  const columns = ['archived_at', 'created_at', 'created_by', 'id', 'kind', 'position', 'tags', 'text', 'version'];
  const at = new Date('2026-11-25T10:00:00.123Z');
  const constants = { archived_at: null, created_at: at, created_by: 'u1', tags: ['a', 'b'], version: 1 };
  const rows: Record<string, unknown>[] = [
    { id: 'm1', kind: 'lot', position: null, text: 'ЗВ 045-84' },
    { id: 'm2', kind: 'serial', position: 'left side, "stencilled"', text: 'AK\u00a0104512' },
    { id: 'm3', kind: 'year', text: '1985' }, // position missing: left out, as a snapshot leaves out undefined
  ];

  it('gives what digestColumns and the snapshot digest give', () => {
    const digest = rowDigester(columns, constants);
    for (const row of rows) {
      const full: Record<string, unknown> = { ...constants, ...row };
      const expected = digestColumns(
        columns,
        columns.map((column) => full[column]),
      );
      assert.equal(digest(row), expected);
      const snapshot = Object.fromEntries(
        Object.entries(full).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]),
      );
      assert.equal(digest(row), snapshotDigest(snapshot));
    }
  });

  it('works when every column varies or none does', () => {
    const all = rowDigester(['a', 'b'], {});
    assert.equal(all({ a: 1, b: 'x' }), digestColumns(['a', 'b'], [1, 'x']));
    const none = rowDigester(['a', 'b'], { a: 1, b: 'x' });
    assert.equal(none({}), digestColumns(['a', 'b'], [1, 'x']));
  });
});
