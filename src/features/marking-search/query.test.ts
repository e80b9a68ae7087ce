import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCandidates } from './candidates.js';
import { COSTS, describeDifferences, flankCost, matchMarking, SHORT_QUERY } from '../../parsing/marking-distance.js';
import { foldMarking } from '../../parsing/marking-text.js';
import { parseMarkingQuery, QuerySyntaxError, type QueryToken } from '../../parsing/marking-query.js';

function shape(tokens: QueryToken[]): string {
  return tokens
    .map((token) => {
      switch (token.kind) {
        case 'char':
          return token.char;
        case 'separator':
          return ' ';
        case 'unreadable':
          return '?';
        case 'any_run':
          return '*';
        case 'alternatives':
          return `[${token.chars.join('')}]`;
      }
    })
    .join('');
}

function cost(query: string, marking: string): number {
  return matchMarking(parseMarkingQuery(query), foldMarking(marking)).cost;
}

describe('parseMarkingQuery', () => {
  it('folds plain text like a marking, keeping one separator between parts', () => {
    const parsed = parseMarkingQuery('  ЗВ -- 19/85 ');
    assert.equal(shape(parsed.tokens), '3b 19 85');
    assert.equal(parsed.length, 6);
    assert.equal(parsed.hasOperators, false);
  });

  it('reads ? as one unreadable character and * as any run', () => {
    const parsed = parseMarkingQuery('AB?12**');
    assert.equal(shape(parsed.tokens), 'ab?12*');
    assert.equal(parsed.length, 5);
    assert.equal(parsed.hasOperators, true);
  });

  it('reads [AB] as alternatives, folded, and [A] as a plain character', () => {
    assert.equal(shape(parseMarkingQuery('[0O]12').tokens), '[0o]12');
    assert.equal(shape(parseMarkingQuery('[З3]1').tokens), '31');
    assert.equal(shape(parseMarkingQuery('[К]Л').tokens), 'kl');
  });

  it('takes an escaped operator literally', () => {
    assert.equal(shape(parseMarkingQuery('A\\*B\\?').tokens), 'a*b?');
    assert.equal(parseMarkingQuery('A\\*B').hasOperators, false);
  });

  it('remembers where each character was in the query', () => {
    const tokens = parseMarkingQuery('x ?[ab]*').tokens;
    assert.deepEqual(
      tokens.map((token) => token.index),
      [0, 1, 2, 3, 7],
    );
  });

  it('refuses what it cannot read, saying where', () => {
    const refusals: [string, number][] = [
      ['AB[12', 2],
      ['AB]', 2],
      ['[]1', 0],
      ['[A?]', 2],
      ['?*?', 0],
      ['--', 0],
      ['AB\\', 2],
    ];
    for (const [query, index] of refusals) {
      assert.throws(
        () => parseMarkingQuery(query),
        (error: unknown) => error instanceof QuerySyntaxError && error.index === index,
        query,
      );
    }
  });
});

describe('matchMarking', () => {
  it('costs nothing for look-alikes, other digit scripts and case', () => {
    assert.equal(cost('3B-1985', 'ЗВ-1985'), 0);
    assert.equal(cost('lot 1234', 'LOT ١٢٣٤'), 0);
  });

  it('costs little for a confusion, an unreadable character or a separator', () => {
    assert.equal(cost('LOT 1O4', 'LOT 104'), 0.3);
    assert.equal(cost('LOT 1?4', 'LOT 104'), 0.2);
    assert.equal(cost('LOT 1?4', 'LOT 1?4'), 0.2);
    assert.equal(cost('LOT104', 'LOT 104'), 0.05);
    assert.equal(cost('LOT 1 04', 'LOT 104'), 0.05);
  });

  it('costs a full edit for an arbitrary difference, a little less for a swap', () => {
    assert.equal(cost('LOT 194', 'LOT 104'), 1);
    assert.equal(cost('LOT 14', 'LOT 104'), 1);
    assert.equal(cost('LOT 1004', 'LOT 104'), 1);
    assert.equal(cost('LOT 140', 'LOT 104'), 0.9);
  });

  it('matches alternatives and runs', () => {
    assert.equal(cost('[0O]12', 'O12'), 0);
    assert.equal(cost('[0O]12', '012'), 0);
    assert.equal(cost('[AB]12', 'C12'), 1);
    assert.equal(cost('AB12*', 'AB12-999'), 0);
    assert.equal(cost('*999', 'AB12-999'), 0);
    assert.equal(cost('AB*999', 'AB12-999'), 0);
  });

  it('lets a query be part of a longer marking, at a cost growing with how far the marking extends it', () => {
    assert.equal(cost('LOT 12345', 'LOT 12345-6'), 0.5);
    assert.equal(cost('LOT 12345', 'LOT 12345-67'), 0.8);
    // A whole extra segment costs more than one character missing inside the query…
    assert.equal(cost('LOT 12345', 'LOT 12345-678'), 1.1);
    // …but never more than two real errors: a query that is exactly part of a marking still ranks above them.
    assert.equal(cost('LOT 12345', 'LOT 12345-678901'), 1.5);
    assert.equal(cost('LOT 12345', 'AK LOT 12345'), 0.8);
  });

  it('weighs a character beyond a short query as much as one missing inside it', () => {
    // Five letters and digits or fewer say little about which longer marking they are part of.
    assert.equal(cost('12345', 'AK 12345'), 1.3);
    assert.equal(cost('AK', 'AK 12345'), 1.5);
    // `27 73`: `270 73` (one character missing) before `27-73-442` (a whole segment beyond).
    assert.equal(cost('27 73', '270 73'), 1);
    assert.equal(cost('27 73', '27-73-442'), 1.5);
    // `В 2 013`: `ВР 2013` and `ЗВ 2013` cost the same (the search ranks the one the query covers whole first).
    assert.equal(cost('В 2 013', 'ВР 2013'), cost('В 2 013', 'ЗВ 2013'));
    assert.equal(flankCost(1, SHORT_QUERY - 1), COSTS.edit);
    assert.equal(flankCost(1, SHORT_QUERY), COSTS.flankFirst);
  });

  it('explains which characters differed and why', () => {
    const match = matchMarking(parseMarkingQuery('3B-1O8?'), foldMarking('ЗВ 108٥'));
    assert.deepEqual(
      match.differences.map((difference) => [
        difference.kind,
        difference.query,
        difference.marking,
        difference.marking_index,
      ]),
      [
        ['look_alike', '3', 'З', 0],
        ['look_alike', 'B', 'В', 1],
        ['confusion', 'O', '0', 4],
        ['unreadable', '?', '٥', 6],
      ],
    );
    assert.equal(match.cost, 0.5);
    assert.equal(describeDifferences(match.differences), '3≈З, B≈В, O→0?, ?=٥');
    assert.equal(
      describeDifferences(matchMarking(parseMarkingQuery('1234'), foldMarking('١٢٣٤')).differences),
      '1=١, 2=٢, 3=٣, 4=٤',
    );
    const kinds = (query: string, marking: string) =>
      matchMarking(parseMarkingQuery(query), foldMarking(marking)).differences.map((difference) => difference.kind);
    assert.deepEqual(kinds('AB129', 'AB1239'), ['extra']);
    assert.deepEqual(kinds('AB1239', 'AB129'), ['missing']);
    assert.deepEqual(kinds('AB1249', 'AB1239'), ['substituted']);
    assert.deepEqual(kinds('AB1329', 'AB1239'), ['transposed']);
    // A swap across a separator is one swap too, the separators between matched (`30 81` read for `38 01`).
    assert.deepEqual(kinds('7.62 30 81', '7.62 38 01'), ['transposed']);
    assert.deepEqual(kinds('3081', '38 01'), ['transposed', 'separator']);
    assert.equal(matchMarking(parseMarkingQuery('7.62 30 81'), foldMarking('7.62 38 01')).cost, 0.9);
    assert.equal(
      describeDifferences(matchMarking(parseMarkingQuery('٧.٦٢ ٣٠ ٨١'), foldMarking('٧.٦٢ ٣٨ ٠١')).differences),
      '٠٨⇄٨٠',
    );
    assert.deepEqual(kinds('AB-12', 'AB12'), ['separator']);
    assert.deepEqual(kinds('AB12', 'AB12-99'), ['beyond_query']);
  });

  it('scores 1 for identical up to folding and separators', () => {
    assert.equal(matchMarking(parseMarkingQuery('ak 47'), foldMarking('AK-47')).score, 1);
    assert.ok(matchMarking(parseMarkingQuery('ak 48'), foldMarking('AK-47')).score < 1);
  });
});

describe('planCandidates', () => {
  it('turns the query into a confusion-key pattern', () => {
    assert.equal(planCandidates(parseMarkingQuery('LOT 12-345-67')).exactPattern, '10t1234567');
    assert.equal(planCandidates(parseMarkingQuery('LOT 12-345-67')).exactIsLiteral, true);
    const pattern = planCandidates(parseMarkingQuery('AB?1*[0O]_%'));
    assert.equal(pattern.exactPattern, 'a8_1%0\\%');
    assert.equal(planCandidates(parseMarkingQuery('[0S]1')).exactPattern, '_1');
    assert.equal(planCandidates(parseMarkingQuery('a\\%b')).exactPattern, 'a\\%8');
  });

  it('cuts long queries into pieces so that two edits still leave a pattern intact', () => {
    const plan = planCandidates(parseMarkingQuery('1234-5678-9012'));
    assert.equal(plan.toleratedEdits, 2);
    assert.deepEqual(plan.fuzzyPatterns, [
      '%123%456%',
      '%123%789%',
      '%123%012%',
      '%456%789%',
      '%456%012%',
      '%789%012%',
    ]);
    const middle = planCandidates(parseMarkingQuery('LOT 12-345-6'));
    assert.equal(middle.toleratedEdits, 1);
    assert.deepEqual(middle.fuzzyPatterns, ['%10t%123%', '%10t%456%', '%123%456%']);
  });

  it('covers one edit in a short query with its halves, anchored, when they can be looked up', () => {
    const plan = planCandidates(parseMarkingQuery('LOT 12-345'));
    assert.deepEqual(plan.fuzzyPatterns, []);
    assert.deepEqual(plan.oneEditPatterns, ['10t1%', '%2345', '10t12%', '%345']);
    assert.deepEqual(planCandidates(parseMarkingQuery('AB1234')).oneEditPatterns, ['a81%', '%234', 'a812%']);
    // Too few known characters in a row to look anything up but the exact pattern's prefix.
    assert.deepEqual(planCandidates(parseMarkingQuery('AB?1')).oneEditPatterns, []);
    assert.equal(planCandidates(parseMarkingQuery('AB?1')).exactIsIndexable, false);
    // A prefix (as typed in the capture form): the tail anywhere after the head.
    assert.deepEqual(planCandidates(parseMarkingQuery('LOT 12-3*')).oneEditPatterns, ['10t%', '%123%', '10t1%']);
    assert.deepEqual(planCandidates(parseMarkingQuery('AB12*')).oneEditPatterns, ['a81%']);
    assert.deepEqual(planCandidates(parseMarkingQuery('AB*12')).oneEditPatterns, []);
  });

  it('asks the trigram index only for patterns with three ASCII letters or digits in a row', () => {
    // pg_trgm indexes no trigram of `иж5` under the C locale: `%иж5%` would read every row.
    const short = planCandidates(parseMarkingQuery('ИЖ5'));
    assert.equal(short.infix, false);
    assert.deepEqual(short.oneEditPatterns, []);
    // A head starting with three known characters is a prefix, which the pattern B-tree answers.
    assert.deepEqual(planCandidates(parseMarkingQuery('ИЖ5843')).oneEditPatterns, ['иж5%', '%843', 'иж58%']);
    assert.deepEqual(planCandidates(parseMarkingQuery('ДЖ-Б12')).oneEditPatterns, ['джб%']);
    // Pigeonhole patterns made of Cyrillic pieces only are left out.
    assert.deepEqual(planCandidates(parseMarkingQuery('ЖДБ-ПГЖ-4567-ДЖП')).fuzzyPatterns, [
      '%ждб%456%',
      '%пгж%456%',
      '%456%7джп%',
    ]);
  });
});
