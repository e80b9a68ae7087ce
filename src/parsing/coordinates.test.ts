import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  coordinateProblemCodes,
  parseCoordinate,
  parseCoordinatePair,
  type CoordinateAxis,
  type CoordinateProblemCode,
} from './coordinates.js';

const DMS_LATITUDE = 36 + 21 / 60 + 4 / 3600; // 36°21'04"
const DMS_LONGITUDE = 43 + 10 / 60 + 44 / 3600; // 43°10'44"
const DDM_LATITUDE = 36 + 21.07 / 60; // 36°21.07'
const DDM_LONGITUDE = 43 + 10.73 / 60; // 43°10.73'

/** Spellings seen in field notes, GPS receivers, spreadsheets, chat messages and reports. */
const accepted: [text: string, axis: CoordinateAxis, value: number][] = [
  ['36°21\'04"N', 'latitude', DMS_LATITUDE],
  ['43°10\'44"E', 'longitude', DMS_LONGITUDE],
  ['36,3399', 'latitude', 36.3399],
  ['٣٦٫٣٤١٢', 'latitude', 36.3412],
  ['۳۶٫۳۴۱۲', 'latitude', 36.3412],
  ['٤٣,١٧٨٩', 'longitude', 43.1789],
  ['36.3412', 'latitude', 36.3412],
  ['  36.3412  ', 'latitude', 36.3412],
  ['-33.8688', 'latitude', -33.8688],
  ['−33.8688', 'latitude', -33.8688],
  ['+151.2093', 'longitude', 151.2093],
  ['36°21′04″N', 'latitude', DMS_LATITUDE],
  ['36º21’04”N', 'latitude', DMS_LATITUDE],
  ['36° 21\' 04" N', 'latitude', DMS_LATITUDE],
  ["36°21'04''N", 'latitude', DMS_LATITUDE],
  ['N 36°21\'04"', 'latitude', DMS_LATITUDE],
  ['N36 21 04', 'latitude', DMS_LATITUDE],
  ['36 21 04', 'latitude', DMS_LATITUDE],
  ['36:21:04', 'latitude', DMS_LATITUDE],
  ['36d 21m 04s', 'latitude', DMS_LATITUDE],
  ['36d21m04s N', 'latitude', DMS_LATITUDE],
  ['36 deg 21 min 4 sec N', 'latitude', DMS_LATITUDE],
  ['36 degrees 21 minutes 4 seconds north', 'latitude', DMS_LATITUDE],
  ['N36 21.07', 'latitude', DDM_LATITUDE],
  ["36°21.07'N", 'latitude', DDM_LATITUDE],
  ['36 21,07', 'latitude', DDM_LATITUDE],
  ['E43 10.73', 'longitude', DDM_LONGITUDE],
  ['43°10\'44"W', 'longitude', -DMS_LONGITUDE],
  ['33°52\'08"S', 'latitude', -(33 + 52 / 60 + 8 / 3600)],
  ['33.8688 S', 'latitude', -33.8688],
  ['S 33.8688', 'latitude', -33.8688],
  ['+36.3412 N', 'latitude', 36.3412],
  ['36°21\'04.5"N', 'latitude', 36 + 21 / 60 + 4.5 / 3600],
  ['٣٦°٢١\'٠٤" ش', 'latitude', DMS_LATITUDE],
  ['٤٣°١٠\'٤٤" ق', 'longitude', DMS_LONGITUDE],
  ['٣٦٫٣٤١٢ شمالاً', 'latitude', 36.3412],
  ['شمال ٣٦٫٣٤١٢', 'latitude', 36.3412],
  ['٤٣٫١٧٨٩ شرقاً', 'longitude', 43.1789],
  ['٣٣٫٨٦٨٨ جنوب', 'latitude', -33.8688],
  ['٤٣٫١٧٨٩ غرب', 'longitude', -43.1789],
  ['36°21\'04" Nord', 'latitude', DMS_LATITUDE],
  ['43°10\'44" Ouest', 'longitude', -DMS_LONGITUDE],
  ['\u200f٣٦٫٣٤١٢\u200f', 'latitude', 36.3412],
  ['३६.३४१२', 'latitude', 36.3412],
  ['３６．３４１２', 'latitude', 36.3412],
  ['36°', 'latitude', 36],
  ['0', 'latitude', 0],
  ['-0', 'longitude', 0],
  ['90', 'latitude', 90],
  ['-180', 'longitude', -180],
  ['179°59\'59.9"E', 'longitude', 179 + 59 / 60 + 59.9 / 3600],
];

describe('parseCoordinate reads what people type', () => {
  for (const [text, axis, value] of accepted) {
    it(`${JSON.stringify(text)} as ${axis}`, () => {
      const result = parseCoordinate(text, axis);
      // deepEqual is strict: a -0 where 0 is expected fails too.
      assert.deepEqual(result, { ok: true, value });
    });
  }
});

const refused: [text: string, axis: CoordinateAxis, code: CoordinateProblemCode][] = [
  ['', 'latitude', 'coordinate_empty'],
  ['   ', 'longitude', 'coordinate_empty'],
  ['abc', 'latitude', 'coordinate_unreadable'],
  ['36.5.1', 'latitude', 'coordinate_unreadable'],
  ['36.5 21', 'latitude', 'coordinate_unreadable'],
  ["36' 21°", 'latitude', 'coordinate_unreadable'],
  ['36° 04"', 'latitude', 'coordinate_unreadable'],
  ['36 21 04 05', 'latitude', 'coordinate_unreadable'],
  ['1e5', 'latitude', 'coordinate_unreadable'],
  ['36-21', 'latitude', 'coordinate_unreadable'],
  ['N 36 N', 'latitude', 'coordinate_unreadable'],
  ['N', 'latitude', 'coordinate_unreadable'],
  ['O 43.17', 'longitude', 'coordinate_unreadable'],
  ["36°60'", 'latitude', 'coordinate_minutes_too_large'],
  ['36 75 10', 'latitude', 'coordinate_minutes_too_large'],
  ['36°21\'60"', 'latitude', 'coordinate_seconds_too_large'],
  ['36 21 61.5', 'latitude', 'coordinate_seconds_too_large'],
  ['91', 'latitude', 'coordinate_out_of_range'],
  ['90°00\'01"N', 'latitude', 'coordinate_out_of_range'],
  ['-180.0001', 'longitude', 'coordinate_out_of_range'],
  ['36341', 'latitude', 'coordinate_out_of_range'],
  ['43°10\'44"E', 'latitude', 'coordinate_hemisphere_mismatch'],
  ['36°21\'04"N', 'longitude', 'coordinate_hemisphere_mismatch'],
  ['٤٣ شرق', 'latitude', 'coordinate_hemisphere_mismatch'],
  ['-36.5 S', 'latitude', 'coordinate_sign_and_hemisphere'],
  ['-43.1 W', 'longitude', 'coordinate_sign_and_hemisphere'],
  ['-36.5 N', 'latitude', 'coordinate_sign_and_hemisphere'],
  ['+43.1 W', 'longitude', 'coordinate_sign_and_hemisphere'],
  ['36d 21m 04 s', 'latitude', 'coordinate_ambiguous'],
  ['36.12345678901234567', 'latitude', 'coordinate_too_precise'],
];

describe('parseCoordinate refuses rather than guesses', () => {
  for (const [text, axis, code] of refused) {
    it(`${JSON.stringify(text)} as ${axis}: ${code}`, () => {
      const result = parseCoordinate(text, axis);
      if (result.ok) assert.fail(`read as ${result.value}`);
      assert.equal(result.code, code);
      assert.equal(result.params?.axis, axis, 'the refusal names the axis');
    });
  }

  it('names the limit of the axis when out of range', () => {
    assert.deepEqual(parseCoordinate('200', 'longitude'), {
      ok: false,
      code: 'coordinate_out_of_range',
      params: { axis: 'longitude', limit: 180, text: '200' },
    });
  });
});

const pairs: [text: string, latitude: number, longitude: number][] = [
  ['36.3412, 43.1789', 36.3412, 43.1789],
  ['36.3412,43.1789', 36.3412, 43.1789],
  ['36.3412 43.1789', 36.3412, 43.1789],
  ['36.3412;43.1789', 36.3412, 43.1789],
  ['36,3412 43,1789', 36.3412, 43.1789],
  ['36,3412; 43,1789', 36.3412, 43.1789],
  ['36,3412, 43,1789', 36.3412, 43.1789],
  ['36°21\'04"N 43°10\'44"E', DMS_LATITUDE, DMS_LONGITUDE],
  ['36°21\'04" N, 43°10\'44" E', DMS_LATITUDE, DMS_LONGITUDE],
  ['N36 21.07 E43 10.73', DDM_LATITUDE, DDM_LONGITUDE],
  ["N 36° 21.07' E 43° 10.73'", DDM_LATITUDE, DDM_LONGITUDE],
  ['36 21 04 43 10 44', DMS_LATITUDE, DMS_LONGITUDE],
  ['43.1789E 36.3412N', 36.3412, 43.1789],
  ['٣٦٫٣٤١٢، ٤٣٫١٧٨٩', 36.3412, 43.1789],
  ['٣٦٫٣٤١٢ ٤٣٫١٧٨٩', 36.3412, 43.1789],
  ['٣٦°٢١\'٠٤" ش ٤٣°١٠\'٤٤" ق', DMS_LATITUDE, DMS_LONGITUDE],
  ['-33.8688, 151.2093', -33.8688, 151.2093],
  ['33.8688 S 151.2093 E', -33.8688, 151.2093],
  ['36.3412\t43.1789', 36.3412, 43.1789],
];

describe('parseCoordinatePair reads a pasted latitude and longitude', () => {
  for (const [text, latitude, longitude] of pairs) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(parseCoordinatePair(text), { ok: true, latitude, longitude });
    });
  }
});

const refusedPairs: [text: string, code: CoordinateProblemCode][] = [
  ['', 'coordinate_empty'],
  ['36,34,43,17', 'coordinate_ambiguous'],
  ['36,43', 'coordinate_ambiguous'],
  ['36 21 43 10', 'coordinate_ambiguous'],
  ['36.3412', 'coordinate_pair_incomplete'],
  ['36.3412, 243.1789', 'coordinate_out_of_range'],
  ['36N 43N', 'coordinate_hemisphere_mismatch'],
  ["36°75'N, 43°10'E", 'coordinate_minutes_too_large'],
  ['36.3412, 43.17x', 'coordinate_unreadable'],
  ['36.34 - 43.17', 'coordinate_unreadable'],
  ['36/43', 'coordinate_unreadable'],
];

describe('parseCoordinatePair refuses rather than guesses', () => {
  for (const [text, code] of refusedPairs) {
    it(`${JSON.stringify(text)}: ${code}`, () => {
      const result = parseCoordinatePair(text);
      if (result.ok) assert.fail(`read as ${result.latitude}, ${result.longitude}`);
      assert.equal(result.code, code);
    });
  }

  it('says which half was out of range', () => {
    const result = parseCoordinatePair('36.3412, 243.1789');
    assert.equal(result.ok ? undefined : result.params?.axis, 'longitude');
  });
});

describe('the problem codes', () => {
  it('lists every code the parser can return', () => {
    const seen = new Set<string>();
    for (const [text, axis] of refused) {
      const result = parseCoordinate(text, axis);
      if (!result.ok) seen.add(result.code);
    }
    for (const [text] of refusedPairs) {
      const result = parseCoordinatePair(text);
      if (!result.ok) seen.add(result.code);
    }
    assert.deepEqual([...seen].sort(), [...coordinateProblemCodes].sort());
  });
});

describe('properties of the coordinate parser', () => {
  const scripts = [0x30, 0x660, 0x6f0, 0x966, 0xff10]; // ASCII, Arabic-Indic, Persian, Devanagari, full-width
  const inScript = (text: string, zero: number) =>
    text.replace(/[0-9]/g, (digit) => String.fromCodePoint(zero + Number(digit)));

  it('reads back any DMS latitude however it is spelled', () => {
    const spellings = [
      (d: string, m: string, s: string, h: string) => `${d}°${m}'${s}"${h}`,
      (d: string, m: string, s: string, h: string) => `${h} ${d}° ${m}′ ${s}″`,
      (d: string, m: string, s: string, h: string) => `${d} ${m} ${s} ${h}`,
      (d: string, m: string, s: string, h: string) => `${d}d ${m}m ${s}s ${h}`,
      (d: string, m: string, s: string, h: string) => `${h}${d}:${m}:${s}`,
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 89 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.constantFrom('N', 'S', 'ش', 'ج'),
        fc.constantFrom(...spellings),
        fc.constantFrom(...scripts),
        (degrees, minutes, seconds, hemisphere, spell, zero) => {
          const text = inScript(spell(String(degrees), String(minutes), String(seconds), hemisphere), zero);
          const magnitude = degrees + minutes / 60 + seconds / 3600;
          const south = hemisphere === 'S' || hemisphere === 'ج';
          const expected = magnitude === 0 ? 0 : south ? -magnitude : magnitude;
          assert.deepEqual(parseCoordinate(text, 'latitude'), { ok: true, value: expected }, text);
        },
      ),
    );
  });

  it('reads back any decimal longitude with a point, a comma or ٫, in any script', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -180_000_000, max: 180_000_000 }),
        fc.constantFrom('.', ',', '٫'),
        fc.constantFrom(...scripts),
        (millionths, separator, zero) => {
          const ascii = (millionths / 1e6).toFixed(6);
          const text = inScript(ascii.replace('.', separator), zero);
          assert.deepEqual(parseCoordinate(text, 'longitude'), { ok: true, value: Number(ascii) || 0 }, text);
        },
      ),
    );
  });

  it('reads back a pasted pair cut by a comma and space, a semicolon, an Arabic comma or a space', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -90_0000, max: 90_0000 }),
        fc.integer({ min: -180_0000, max: 180_0000 }),
        fc.constantFrom(', ', '; ', '، ', ' ', ','),
        (latitudeTenThousandths, longitudeTenThousandths, separator) => {
          const latitude = (latitudeTenThousandths / 1e4).toFixed(4);
          const longitude = (longitudeTenThousandths / 1e4).toFixed(4);
          assert.deepEqual(parseCoordinatePair(`${latitude}${separator}${longitude}`), {
            ok: true,
            latitude: Number(latitude) || 0,
            longitude: Number(longitude) || 0,
          });
        },
      ),
    );
  });

  it('never throws, and anything it accepts is in range', () => {
    const known = new Set<string>(coordinateProblemCodes);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[-+NSEW0-9 .,°'"]{0,16}$/)),
        (text) => {
          const single = parseCoordinate(text, 'latitude');
          if (single.ok) assert.ok(Number.isFinite(single.value) && Math.abs(single.value) <= 90, text);
          else assert.ok(known.has(single.code), single.code);
          const pair = parseCoordinatePair(text);
          if (pair.ok) assert.ok(Math.abs(pair.latitude) <= 90 && Math.abs(pair.longitude) <= 180, text);
          else assert.ok(known.has(pair.code), pair.code);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
