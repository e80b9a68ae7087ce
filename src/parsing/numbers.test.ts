import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  digitValue,
  normalizeDigits,
  parseDecimalNumber,
  parseWholeNumber,
  readNumber,
  significantDigits,
  type NumberProblemCode,
} from './numbers.js';

describe('normalizeDigits', () => {
  it('turns the digits of every script into ASCII digits', () => {
    // Every code point Unicode classes as a decimal digit.
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const character = String.fromCodePoint(codePoint);
      if (!/\p{Nd}/u.test(character)) continue;
      const value = digitValue(character);
      assert.ok(value !== undefined && value >= 0 && value <= 9, `U+${codePoint.toString(16)}`);
      assert.equal(normalizeDigits(character), String(value));
    }
  });

  it('knows the digits of the scripts people write in', () => {
    assert.equal(normalizeDigits('٠١٢٣٤٥٦٧٨٩'), '0123456789'); // Arabic-Indic
    assert.equal(normalizeDigits('۰۱۲۳۴۵۶۷۸۹'), '0123456789'); // Persian and Urdu
    assert.equal(normalizeDigits('०१२३४५६७८९'), '0123456789'); // Devanagari
    assert.equal(normalizeDigits('０１２３４５６７８９'), '0123456789'); // full-width
    assert.equal(normalizeDigits('০১২৩৪৫৬৭৮৯'), '0123456789'); // Bengali
    assert.equal(normalizeDigits('๐๑๒๓๔๕๖๗๘๙'), '0123456789'); // Thai
    assert.equal(normalizeDigits('\u{1d7ce}\u{1d7d7}\u{1d7d8}\u{1d7e1}'), '0909'); // mathematical digits, two sets back to back
  });

  it('reads the Arabic decimal separator as a point and leaves other text alone', () => {
    assert.equal(normalizeDigits('٣٦٫٣٤١٢'), '36.3412');
    assert.equal(normalizeDigits('AKM ٤٠ pcs'), 'AKM 40 pcs');
    assert.equal(digitValue('x'), undefined);
  });
});

const whole: [text: string, value: number][] = [
  ['٦', 6],
  ['٤٠', 40],
  ['۱۲', 12],
  ['१२', 12],
  ['１２', 12],
  ['40', 40],
  [' 7 ', 7],
  ['\u200f٤٠\u200f', 40],
  ['١٬٠٠٠', 1000],
  ['+3', 3],
  ['−4', -4],
  ['0', 0],
  ['12,0', 12],
];

describe('parseWholeNumber reads quantities in any script', () => {
  for (const [text, value] of whole) {
    it(JSON.stringify(text), () => assert.equal(parseWholeNumber(text), value));
  }
  for (const text of ['', '2,5', '1,000', '1.000', '12a', 'twelve', '١٬٠٠', '1 000', '99999999999999999']) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseWholeNumber(text), undefined));
  }
});

describe('parseDecimalNumber', () => {
  const decimals: [text: string, value: number][] = [
    ['٢٫٥', 2.5],
    ['12,75', 12.75],
    ['12.75', 12.75],
    ['0,500', 0.5],
    ['.5', 0.5],
    ['२५.५', 25.5],
    ['２５，５', 25.5],
    ['1234,5', 1234.5],
  ];
  for (const [text, value] of decimals) {
    it(JSON.stringify(text), () => assert.equal(parseDecimalNumber(text), value));
  }
  it('refuses a comma or point that could be a thousands separator', () => {
    assert.equal(parseDecimalNumber('1,500'), undefined);
    assert.equal(parseDecimalNumber('1.500'), undefined);
  });
});

describe('readNumber says why it refuses', () => {
  const cases: [text: string, rules: Parameters<typeof readNumber>[1], code: NumberProblemCode][] = [
    ['', {}, 'required'],
    ['abc', {}, 'not_a_number'],
    ['2,5', { whole: true }, 'not_whole'],
    ['1,500', {}, 'number_ambiguous'],
    ['0', { minimum: 1 }, 'too_small'],
    ['٠', { whole: true, minimum: 1 }, 'too_small'],
    ['1000001', { maximum: 1_000_000 }, 'too_big'],
    ['1.2345678901234567', {}, 'number_too_precise'],
  ];
  for (const [text, rules, code] of cases) {
    it(`${JSON.stringify(text)}: ${code}`, () => {
      const result = readNumber(text, rules);
      assert.equal(result.ok ? 'ok' : result.code, code);
    });
  }
  it('gives the limit it checked', () => {
    assert.deepEqual(readNumber('0', { whole: true, minimum: 1 }), {
      ok: false,
      code: 'too_small',
      params: { minimum: 1 },
    });
  });
});

describe('significantDigits', () => {
  it('does not count zeros that change nothing', () => {
    assert.equal(significantDigits('036.34100'), 5);
    assert.equal(significantDigits('1000'), 1);
    assert.equal(significantDigits('0.0012'), 2);
  });
});
