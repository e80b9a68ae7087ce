import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { sql } from 'kysely';
import { createItem } from '../items/service.js';
import { createSite } from '../sites/service.js';
import {
  NEAR_DISTANCE,
  NEAR_DISTANCE_SHORT,
  NEAR_MIN_LENGTH,
  NEAR_WILDCARD,
  planCandidates,
  segmentPairEntries,
} from './candidates.js';
import { confusionKey, markingSkeleton } from '../../parsing/marking-text.js';
import { parseMarkingQuery } from '../../parsing/marking-query.js';
import { findCandidateSkeletons } from './repository.js';
import { updateMarking } from '../markings/service.js';

/**
 * The errors between a query's key and a stored key: edits, swaps of two
 * neighbours and unreadable characters, each counting one (optimal string
 * alignment distance; the wildcard equals nothing).
 */
function errors(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  const same = (x: string | undefined, y: string | undefined) => x === y && x !== NEAR_WILDCARD;
  const table = Array.from({ length: left.length + 1 }, (_, i) =>
    Array.from({ length: right.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= left.length; i += 1) {
    for (let j = 1; j <= right.length; j += 1) {
      let best = Math.min(
        table[i - 1]![j]! + 1,
        table[i]![j - 1]! + 1,
        table[i - 1]![j - 1]! + (same(left[i - 1], right[j - 1]) ? 0 : 1),
      );
      if (i > 1 && j > 1 && same(left[i - 1], right[j - 2]) && same(left[i - 2], right[j - 1])) {
        best = Math.min(best, table[i - 2]![j - 2]! + 1);
      }
      table[i]![j] = best;
    }
  }
  return table[left.length]![right.length]!;
}

// Characters that are their own skeleton and confusion key, so a generated key is exactly what is stored.
const KEY_ALPHABET = Array.from('0123456789akthmpx');

type Edit =
  | { kind: 'substitute'; at: number; char: string }
  | { kind: 'insert'; at: number; char: string }
  | { kind: 'delete'; at: number }
  | { kind: 'swap'; at: number }
  | { kind: 'unreadable'; at: number };

/** Applies edits to a key: substitutions, insertions, deletions and `?` for an unread character. */
function applyEdits(key: string, edits: readonly Edit[]): string {
  const characters = Array.from(key);
  for (const edit of edits) {
    const at = edit.at % (characters.length + (edit.kind === 'insert' ? 1 : 0));
    if (edit.kind === 'substitute') characters[at] = edit.char;
    else if (edit.kind === 'insert') characters.splice(at, 0, edit.char);
    else if (edit.kind === 'delete') characters.splice(at, 1);
    else if (edit.kind === 'swap') {
      if (at + 1 < characters.length) [characters[at], characters[at + 1]] = [characters[at + 1]!, characters[at]!];
    } else characters[at] = '?';
  }
  return characters.join('');
}

const character = fc.constantFrom(...KEY_ALPHABET);
const position = fc.nat({ max: 40 });
const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('substitute' as const), at: position, char: character }),
  fc.record({ kind: fc.constant('insert' as const), at: position, char: character }),
  fc.record({ kind: fc.constant('delete' as const), at: position }),
  fc.record({ kind: fc.constant('swap' as const), at: position }),
  fc.record({ kind: fc.constant('unreadable' as const), at: position }),
);
// Stored keys may hold `?` themselves (a character the transcriber could not read).
const storedKey = fc
  .array(fc.oneof({ weight: 12, arbitrary: character }, { weight: 1, arbitrary: fc.constant('?') }), {
    minLength: 4,
    maxLength: 16,
  })
  .map((characters) => characters.join(''));

describe('candidate generation', () => {
  it('asks for a segment pair of every key within two edits, swaps or unreadable characters (property)', () => {
    fc.assert(
      fc.property(storedKey, fc.array(editArbitrary, { maxLength: NEAR_DISTANCE }), (key, edits) => {
        const query = applyEdits(key, edits);
        if (Array.from(query).length < NEAR_MIN_LENGTH || query.replace(/\?/g, '') === '') return;
        const plan = planCandidates(parseMarkingQuery(query));
        // A `?` of the stored key carried into the query is an error on both sides: a third one.
        if (errors(plan.nearKey, key) > NEAR_DISTANCE) return;
        const probes = new Set(plan.segmentPairProbes);
        assert.ok(
          segmentPairEntries(key).some((entry) => probes.has(entry)),
          `${query} asks for none of the segment pairs of ${key}`,
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it('asks for a segment pair of every key within one error of a query of four or five characters (property)', () => {
    fc.assert(
      fc.property(
        storedKey.filter((key) => Array.from(key).length <= 6),
        fc.array(editArbitrary, { maxLength: NEAR_DISTANCE_SHORT }),
        (key, edits) => {
          const query = applyEdits(key, edits);
          const length = Array.from(query).length;
          if (length < 4 || length >= NEAR_MIN_LENGTH || query.replace(/\?/g, '') === '') return;
          const plan = planCandidates(parseMarkingQuery(query));
          assert.equal(plan.nearDistance, NEAR_DISTANCE_SHORT);
          if (errors(plan.nearKey, key) > NEAR_DISTANCE_SHORT) return;
          const probes = new Set(plan.segmentPairProbes);
          assert.ok(
            segmentPairEntries(key).some((entry) => probes.has(entry)),
            `${query} asks for none of the segment pairs of ${key}`,
          );
        },
      ),
      { numRuns: 20_000 },
    );
    // The benchmark's lost short query: `27 73` for `270 73` (one character missing, halves too short to look up).
    const plan = planCandidates(parseMarkingQuery('27 73'));
    assert.ok(
      segmentPairEntries(confusionKey(markingSkeleton('270 73'))).some((e) => plan.segmentPairProbes.includes(e)),
    );
  });

  it('cuts stored keys as migration 0008 does', () => {
    assert.deepEqual(segmentPairEntries('6863102'), [
      '7:01686',
      '7:02631',
      '7:03602',
      '7:128631',
      '7:138602',
      '7:233102',
    ]);
    assert.deepEqual(segmentPairEntries('abc'), []);
  });

  it('finds the issue’s lost query among the pairs: 62-63-I?2 for 68-63-102', () => {
    const plan = planCandidates(parseMarkingQuery('62-63-I?2'));
    const key = confusionKey(markingSkeleton('68-63-102'));
    assert.ok(errors(plan.nearKey, key) <= 2);
    assert.ok(segmentPairEntries(key).some((entry) => plan.segmentPairProbes.includes(entry)));
  });
});

/** A deterministic generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('candidate generation on the database', () => {
  let world: TestWorld;
  const random = seeded(20261205);
  const digits = (count: number) => Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
  // Dense, look-alike lots and serials: many keys within two edits of one another.
  const texts = Array.from({ length: 600 }, (_, index) => {
    switch (index % 4) {
      case 0:
        return `${digits(2)}-${digits(2)}-${digits(3)}`;
      case 1:
        return `AK ${digits(6)}`;
      case 2:
        return `ЗВ ${digits(3)}-${digits(2)}`;
      default:
        return `${digits(2)}-${digits(3)}-${digits(2)}${index % 8 === 3 ? '?' : ''}`;
    }
  });

  before(async () => {
    world = await createTestWorld();
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'Store' });
    for (let start = 0; start < texts.length; start += 20) {
      await createItem(world.db, world.owner, world.investigationId, {
        site_id: site.id,
        category: 'cartridges',
        markings: texts.slice(start, start + 20).map((text) => ({ text, kind: 'lot' as const })),
      });
    }
  });
  after(async () => {
    await world.close();
  });

  it('returns every marking within two edits, swaps or unreadable characters of a query', async () => {
    const edit = (text: string): string => {
      const characters = Array.from(text);
      const readable = () => {
        const positions = characters.flatMap((c, index) => (/[\p{L}\p{Nd}]/u.test(c) ? [index] : []));
        return positions[Math.floor(random() * positions.length)]!;
      };
      const count = 1 + Math.floor(random() * NEAR_DISTANCE);
      for (let n = 0; n < count; n += 1) {
        const roll = random();
        const at = readable();
        const typed = String(Math.floor(random() * 10));
        if (roll < 0.25) characters[at] = '?';
        else if (roll < 0.45) characters[at] = typed;
        else if (roll < 0.65) characters.splice(at, 0, typed);
        else if (roll < 0.8) characters.splice(at, 1);
        else if (at + 1 < characters.length)
          [characters[at], characters[at + 1]] = [characters[at + 1]!, characters[at]!];
      }
      return characters.join('');
    };
    let asked = 0;
    for (let n = 0; n < 200; n += 1) {
      const target = texts[Math.floor(random() * texts.length)]!;
      const query = edit(target);
      const parsed = parseMarkingQuery(query);
      if (parsed.length < NEAR_MIN_LENGTH) continue;
      const plan = planCandidates(parsed);
      const targetKey = confusionKey(markingSkeleton(target));
      if (errors(plan.nearKey, targetKey) > NEAR_DISTANCE) continue;
      asked += 1;
      const candidates = await findCandidateSkeletons(world.db, plan, {
        investigationIds: [world.investigationId],
        restrictedIn: undefined,
        includeArchived: false,
      });
      assert.ok(
        candidates.some((candidate) => candidate.skeleton === markingSkeleton(target)),
        `${query} did not find ${target}`,
      );
    }
    assert.ok(asked > 100, `only ${asked} queries were within two of their target`);
  });

  it('keeps the table of distinct keys complete as markings are written and corrected', async () => {
    const keys = async () =>
      (await sql<{ confusion_key: string }>`SELECT confusion_key FROM marking_search_keys`.execute(world.db)).rows.map(
        (row) => row.confusion_key,
      );
    const stored = await world.db.selectFrom('markings').select(['id', 'version', 'confusion_key']).execute();
    const known = new Set(await keys());
    assert.ok(stored.every((row) => known.has(row.confusion_key!)));
    const corrected = await updateMarking(world.db, world.owner, stored[0]!.id, {
      version: stored[0]!.version,
      text: 'ЗВ 777-77',
    });
    assert.equal(corrected.text, 'ЗВ 777-77');
    assert.ok((await keys()).includes(confusionKey(markingSkeleton('ЗВ 777-77'))));
  });
});
