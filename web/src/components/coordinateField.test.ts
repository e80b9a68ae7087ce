// What the site forms show and send for coordinates (coordinateField.ts). The spellings the
// parser reads are tested with the parser (src/parsing); here: display, the save rules, the device's accuracy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  coordinateText,
  formatDegrees,
  geolocationProblem,
  hemisphereOf,
  precisionFromAccuracy,
  readAxis,
  readLocation,
  readPair,
  readPrecision,
} from './coordinateField';

describe('coordinate display', () => {
  it('shows decimal degrees with at most 6 decimals and the hemisphere', () => {
    assert.equal(formatDegrees(36.351111111), '36.351111');
    assert.equal(formatDegrees(-43.5), '43.5');
    assert.equal(formatDegrees(0), '0');
    assert.equal(hemisphereOf(36.35, 'latitude'), 'N');
    assert.equal(hemisphereOf(-1, 'latitude'), 'S');
    assert.equal(hemisphereOf(43.17, 'longitude'), 'E');
    assert.equal(hemisphereOf(-0.5, 'longitude'), 'W');
    assert.equal(hemisphereOf(0, 'longitude'), 'E');
  });

  it('fills a field with the value that will be sent', () => {
    assert.equal(coordinateText(36.351111111), '36.351111');
    assert.equal(coordinateText(-122.4194155), '-122.419416');
    assert.deepEqual(readAxis(coordinateText(-122.4194155), 'longitude'), { state: 'read', value: -122.419416 });
  });

  it('reads a field through the shared parser, and says why it cannot', () => {
    assert.deepEqual(readAxis('', 'latitude'), { state: 'empty' });
    assert.deepEqual(readAxis('  ', 'latitude'), { state: 'empty' });
    assert.deepEqual(readAxis('36.3412', 'latitude'), { state: 'read', value: 36.3412 });
    assert.equal(readAxis('north of the well', 'latitude').state, 'problem');
    const outOfRange = readAxis('91', 'latitude');
    assert.equal(outOfRange.state === 'problem' && outOfRange.code, 'coordinate_out_of_range');
    assert.deepEqual(readPair('36.3412, 43.1789'), { state: 'read', latitude: 36.3412, longitude: 43.1789 });
  });
});

describe('reading the location before saving', () => {
  it('sends the numbers typed', () => {
    assert.deepEqual(readLocation({ latitude: '36.3412', longitude: '43.1789', precision: '25' }), {
      ok: true,
      latitude: 36.3412,
      longitude: 43.1789,
      precision_m: 25,
    });
  });

  it('allows no location at all', () => {
    assert.deepEqual(readLocation({ latitude: '', longitude: '', precision: '' }), {
      ok: true,
      latitude: null,
      longitude: null,
      precision_m: null,
    });
  });

  it('refuses what cannot be read instead of dropping it', () => {
    const reading = readLocation({ latitude: 'near the bridge', longitude: '43.1789', precision: '' });
    assert.equal(!reading.ok && reading.problems.latitude?.code, 'coordinate_unreadable');
  });

  it('refuses a pasted pair that cannot be read, even when the fields are filled', () => {
    const reading = readLocation({ latitude: '36.3412', longitude: '43.1789', precision: '', pair: '36.3412' });
    assert.equal(!reading.ok && reading.problems.pair?.code, 'coordinate_pair_incomplete');
  });

  it('refuses one axis without the other, on the missing one', () => {
    const reading = readLocation({ latitude: '36.3412', longitude: '', precision: '' });
    assert.deepEqual(reading, { ok: false, problems: { longitude: { code: 'coordinate_pair_incomplete' } } });
  });

  it('reads the precision in digits of any script and refuses what is not a positive number', () => {
    assert.deepEqual(readPrecision('٢٥'), { state: 'read', value: 25 });
    assert.deepEqual(readPrecision('12,5'), { state: 'read', value: 12.5 });
    assert.deepEqual(readPrecision('0'), { state: 'problem', code: 'precision_unreadable' });
    assert.deepEqual(readPrecision('about 20'), { state: 'problem', code: 'precision_unreadable' });
    const reading = readLocation({ latitude: '', longitude: '', precision: 'ten' });
    assert.equal(!reading.ok && reading.problems.precision?.code, 'precision_unreadable');
  });
});

describe('the device’s location', () => {
  it('takes the accuracy rounded up to whole metres as the precision', () => {
    assert.equal(precisionFromAccuracy(12.2), 13);
    assert.equal(precisionFromAccuracy(30), 30);
    assert.equal(precisionFromAccuracy(0.4), 1);
  });

  it('names the Geolocation API’s errors', () => {
    assert.equal(geolocationProblem(1), 'denied');
    assert.equal(geolocationProblem(2), 'unavailable');
    assert.equal(geolocationProblem(3), 'timeout');
  });
});
