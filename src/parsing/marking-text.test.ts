import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONFUSION_CLASSES,
  LOOK_ALIKES,
  confusionKey,
  deriveLegibility,
  detectScript,
  foldMarking,
  markingSkeleton,
  normalizeMarking,
  searchKeys,
} from './marking-text.js';

/** The ten digits of a script, from its zero. */
function digitsFrom(zero: number): string {
  return Array.from({ length: 10 }, (_, value) => String.fromCodePoint(zero + value)).join('');
}

// Zero of each decimal digit run, by script (Unicode category Nd).
const DIGIT_SCRIPTS: readonly (readonly [string, number])[] = [
  ['Arabic-Indic', 0x0660],
  ['Persian (Extended Arabic-Indic)', 0x06f0],
  ["N'Ko", 0x07c0],
  ['Devanagari', 0x0966],
  ['Bengali', 0x09e6],
  ['Gurmukhi', 0x0a66],
  ['Gujarati', 0x0ae6],
  ['Oriya', 0x0b66],
  ['Tamil', 0x0be6],
  ['Telugu', 0x0c66],
  ['Kannada', 0x0ce6],
  ['Malayalam', 0x0d66],
  ['Thai', 0x0e50],
  ['Lao', 0x0ed0],
  ['Tibetan', 0x0f20],
  ['Myanmar', 0x1040],
  ['Khmer', 0x17e0],
  ['Mongolian', 0x1810],
  ['Fullwidth', 0xff10],
  ['Mathematical bold', 0x1d7ce],
  ['Adlam', 0x1e950],
];

describe('normalizeMarking', () => {
  it('removes separators and folds case', () => {
    assert.equal(normalizeMarking('AK-47 / 12.5_x y'), 'ak47125xy');
    assert.equal(normalizeMarking('Lot\t12\u00a034'), 'lot1234');
  });

  it('applies NFKC, so full-width and compatibility forms compare equal', () => {
    assert.equal(normalizeMarking('ＬＯＴ１２'), 'lot12');
    assert.equal(normalizeMarking('ﬁ№5'), 'fino5');
  });

  it('turns the digits of every script into ASCII digits', () => {
    assert.equal(normalizeMarking('٠١٢٣٤٥٦٧٨٩'), '0123456789');
    assert.equal(normalizeMarking('۰۱۲۳۴۵۶۷۸۹'), '0123456789');
    assert.equal(normalizeMarking('सन् १९८५'), 'सन्1985');
    assert.equal(normalizeMarking('سنة ١٩٨٥'), 'سنة1985');
  });

  it('keeps other scripts and the question marks of unread characters', () => {
    assert.equal(normalizeMarking('ЗАВОД 1?'), 'завод1?');
  });

  it('is idempotent', () => {
    for (const text of ['AK-47 / ٢٠١٥', 'ＬＯＴ 12', 'Σ-3', 'ЗАВОД 12']) {
      assert.equal(normalizeMarking(normalizeMarking(text)), normalizeMarking(text));
    }
  });
});

describe('markingSkeleton', () => {
  for (const [script, zero] of DIGIT_SCRIPTS) {
    it(`reads ${script} digits as 0-9`, () => {
      assert.equal(markingSkeleton(digitsFrom(zero)), '0123456789');
    });
  }

  it('turns every decimal digit in Unicode into an ASCII digit', () => {
    let digits = 0;
    for (let code = 0; code <= 0x1ffff; code += 1) {
      const character = String.fromCodePoint(code);
      if (!/^\p{Nd}$/u.test(character)) continue;
      digits += 1;
      assert.match(markingSkeleton(character), /^[0-9]$/, `U+${code.toString(16)}`);
    }
    assert.ok(digits > 600, `only ${digits} digits found`);
  });

  it('folds each look-alike in the table, capital and small, onto its Latin letter or digit', () => {
    for (const [letter, target] of Object.entries(LOOK_ALIKES)) {
      assert.equal(markingSkeleton(letter), target, letter);
      assert.equal(markingSkeleton(letter.toUpperCase()), target, letter.toUpperCase());
    }
  });

  it('makes Cyrillic and Greek stencils equal to their Latin transcription', () => {
    assert.equal(markingSkeleton('ЗВ'), markingSkeleton('3B'));
    assert.equal(markingSkeleton('КЛ'), markingSkeleton('KL'));
    assert.equal(markingSkeleton('ВРМ-НКТ'), markingSkeleton('BPM HKT'));
    assert.equal(markingSkeleton('ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ'), 'abezhikmnoptyx');
    assert.equal(markingSkeleton('КЛ ٠٤١٧'), 'kl0417');
  });

  it('keeps letters that have no Latin look-alike', () => {
    assert.equal(markingSkeleton('ДЖ-12'), 'дж12');
    assert.equal(markingSkeleton('Б 764306'), 'б764306');
  });

  it('removes every kind of separator and keeps unread characters and symbols', () => {
    for (const separator of [
      ' ',
      '-',
      '/',
      '.',
      '_',
      ',',
      ':',
      ';',
      '·',
      '\t',
      '\u00a0',
      '–',
      '—',
      '\\',
      '#',
      "'",
      '"',
    ]) {
      assert.equal(markingSkeleton(`AB${separator}12`), 'ab12', JSON.stringify(separator));
    }
    assert.equal(markingSkeleton('AB 1?2'), 'ab1?2');
    assert.equal(markingSkeleton('★ 12'), '★12');
  });

  it('takes a shortcut for plain ASCII that gives what the full folding gives', () => {
    for (let code = 0; code < 128; code += 1) {
      const text = `Ab${String.fromCharCode(code)}1`;
      const folded = foldMarking(text)
        .filter((character) => !character.separator)
        .map((character) => character.char)
        .join('');
      assert.equal(markingSkeleton(text), folded, `U+${code.toString(16)}`);
    }
  });

  it('drops combining marks, so composed and decomposed forms agree', () => {
    assert.equal(markingSkeleton('E\u0301'), markingSkeleton('É'));
    assert.equal(markingSkeleton('İ'), 'i');
  });

  it('keeps the separators and the source of each character when folding', () => {
    const folded = foldMarking(' ЗВ--1 ');
    assert.deepEqual(
      folded.map((character) => [character.char, character.separator, character.source, character.index]),
      [
        ['3', false, 'З', 1],
        ['b', false, 'В', 2],
        [' ', true, '-', 3],
        ['1', false, '1', 5],
      ],
    );
  });
});

describe('confusionKey', () => {
  it('collapses each class of easily misread characters onto its first member', () => {
    for (const members of CONFUSION_CLASSES) {
      for (const member of members) assert.equal(confusionKey(member), members[0], member);
    }
    assert.equal(confusionKey('lot80s'), '10t805');
  });

  it('gives both search keys of a transcription', () => {
    assert.deepEqual(searchKeys('LOT 8O-S'), { skeleton: 'lot8os', confusion_key: '10t805' });
    assert.deepEqual(searchKeys('ЛОТ 80-5'), { skeleton: 'lot805', confusion_key: '10t805' });
  });
});

describe('detectScript', () => {
  it('names one script by its ISO 15924 code', () => {
    assert.equal(detectScript('LOT 12'), 'Latn');
    assert.equal(detectScript('ЗАВОД 12'), 'Cyrl');
    assert.equal(detectScript('صنع في 1985'), 'Arab');
    assert.equal(detectScript('٢٠١٥'), 'Arab');
    assert.equal(detectScript('ΣΤΡ'), 'Grek');
  });

  it('says mixed for several scripts and null when nothing tells', () => {
    assert.equal(detectScript('ZU-23 Завод'), 'mixed');
    assert.equal(detectScript('1985 / 12'), null);
    assert.equal(detectScript('???'), null);
  });
});

describe('deriveLegibility', () => {
  it('reads question marks as unread characters', () => {
    assert.equal(deriveLegibility('12345'), 'legible');
    assert.equal(deriveLegibility('12?45'), 'partial');
    assert.equal(deriveLegibility('??-??'), 'illegible');
    assert.equal(deriveLegibility('?'), 'illegible');
  });
});
