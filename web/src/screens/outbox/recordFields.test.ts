// How the outbox shows a waiting record's fields and reads a correction back (recordFields.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutboxEntry } from '../../offline/outbox';
import { parsedLike, problemErrors, shown } from './recordFields';

describe('a waiting record as the outbox shows it', () => {
  it('shows text as typed, nothing as empty and other values as JSON', () => {
    assert.equal(shown('KBD-٠١-A'), 'KBD-٠١-A');
    assert.equal(shown(null), '');
    assert.equal(shown(undefined), '');
    assert.equal(shown(12), '12');
    assert.equal(shown(['cache', 'north']), '["cache","north"]');
  });

  it('reads a correction back with the type the field had', () => {
    assert.equal(parsedLike(3, '4'), 4);
    assert.equal(parsedLike(3, ' '), null, 'an emptied number is no number, not 0');
    assert.equal(parsedLike('old', ''), '', 'an emptied text stays text');
    assert.equal(parsedLike(null, ''), null, 'a field that was empty stays empty');
    assert.equal(parsedLike(null, 'new'), 'new');
    assert.deepEqual(parsedLike(['a'], '["a","b"]'), ['a', 'b']);
    assert.equal(
      parsedLike(['a'], 'not json'),
      'not json',
      'what is not JSON is kept as typed, for the server to refuse',
    );
  });

  it('gives each field its first problem, through the translator', () => {
    const entry = {
      problem: {
        detail: 'Invalid',
        fields: [
          { field: 'quantity', message: 'Expected a whole number', code: 'not_integer' },
          { field: 'quantity', message: 'Too small' },
          { field: 'name', message: 'Required' },
        ],
      },
    } as unknown as OutboxEntry;
    const t = ((key: string) => `[${key}]`) as Parameters<typeof problemErrors>[1];
    const errors = problemErrors(entry, t);
    assert.deepEqual(Object.keys(errors).sort(), ['name', 'quantity']);
    assert.notEqual(errors.quantity, undefined);
    assert.deepEqual(problemErrors({} as OutboxEntry, t), {});
  });
});
