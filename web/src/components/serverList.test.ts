import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSort, toggledSort, withSort } from './serverList';

const keys = ['created', 'name', 'country_code'] as const;
const fallback = { key: 'name', order: 'asc' } as const;

describe('server list sort in the URL', () => {
  it('reads a known key and its order, and falls back for anything else', () => {
    assert.deepEqual(readSort(new URLSearchParams('sort=country_code&order=desc'), keys, fallback), {
      key: 'country_code',
      order: 'desc',
    });
    assert.deepEqual(readSort(new URLSearchParams('sort=name'), keys, fallback), { key: 'name', order: 'asc' });
    assert.deepEqual(readSort(new URLSearchParams('sort=password_hash&order=desc'), keys, fallback), fallback);
    assert.deepEqual(readSort(new URLSearchParams(''), keys, fallback), fallback);
  });

  it('writes the sort and keeps the other parameters', () => {
    assert.equal(
      withSort(new URLSearchParams('tab=2&sort=name'), { key: 'created', order: 'desc' }),
      'tab=2&sort=created&order=desc',
    );
  });

  it('turns the order round on the same column and starts ascending on another', () => {
    assert.deepEqual(toggledSort({ key: 'name', order: 'asc' }, 'name'), { key: 'name', order: 'desc' });
    assert.deepEqual(toggledSort({ key: 'name', order: 'desc' }, 'name'), { key: 'name', order: 'asc' });
    assert.deepEqual(toggledSort({ key: 'name', order: 'desc' }, 'created'), { key: 'created', order: 'asc' });
  });
});
