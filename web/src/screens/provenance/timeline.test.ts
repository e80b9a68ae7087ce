import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contradictions, stages } from './timeline';

const claim = (id: string, event_type: string, occurred_from: string | null, conflicts_with: string[] = []) =>
  ({ id, event_type, occurred_from, occurred_to: null, conflicts_with }) as Parameters<typeof stages>[0][number] & {
    conflicts_with: string[];
  };

describe('provenance timeline', () => {
  it('orders the chain produced → exported → transferred → diverted → recovered, keeping empty stages', () => {
    const result = stages([
      claim('c3', 'recovered', '2024-05-01'),
      claim('c1', 'produced', '1990-01-01'),
      claim('c2', 'exported', null),
      claim('c0', 'exported', '1995-01-01'),
    ]);
    assert.deepEqual(
      result.map((stage) => [stage.eventType, stage.claims.map((item) => item.id)]),
      [
        ['produced', ['c1']],
        ['exported', ['c0', 'c2']],
        ['transferred', []],
        ['diverted', []],
        ['recovered', ['c3']],
      ],
    );
  });

  it('names each contradiction once, as a pair', () => {
    const a = claim('a', 'exported', null, ['b', 'c']);
    const b = claim('b', 'exported', null, ['a']);
    const c = claim('c', 'exported', null, ['a']);
    assert.deepEqual(
      contradictions([a, b, c]).map(([first, second]) => [first.id, second.id]),
      [
        ['a', 'b'],
        ['a', 'c'],
      ],
    );
  });
});
