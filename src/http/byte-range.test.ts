import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseByteRange } from './byte-range.js';

describe('Range header', () => {
  it('reads one range: from-to, from to the end, and the last N bytes', () => {
    assert.deepEqual(parseByteRange('bytes=0-1023', 5000), { start: 0, end: 1023 });
    assert.deepEqual(parseByteRange('bytes=4000-', 5000), { start: 4000, end: 4999 });
    assert.deepEqual(parseByteRange('bytes=-500', 5000), { start: 4500, end: 4999 });
    assert.deepEqual(parseByteRange('bytes=4000-9999', 5000), { start: 4000, end: 4999 });
    assert.deepEqual(parseByteRange('bytes=-9999', 5000), { start: 0, end: 4999 });
  });

  it('answers everything else with the whole file', () => {
    for (const header of [
      undefined,
      '',
      'bytes=5000-',
      'bytes=10-5',
      'bytes=-0',
      'bytes=-',
      'bytes=0-1,5-9',
      'items=0-1',
      'bytes=a-b',
    ]) {
      assert.equal(parseByteRange(header, 5000), undefined, String(header));
    }
    assert.equal(parseByteRange('bytes=0-0', 0), undefined);
  });
});
