/**
 * Issue 15, item 8 (a first, bounded part): generated text — any code point, lone UTF-16 surrogates, NUL,
 * bidirectional controls — sent as JSON bodies and query strings to routes that store or search text. Asserts
 * no 5xx, and that every 2xx stored the submitted strings exactly (read back equals sent, after the trimming the
 * schema documents). Runs once with a fixed seed and once with a random one (printed, to replay a failure with
 * FUZZ_SEED), and prints its counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createTestWorld, type TestWorld } from '../testing/test-database.js';

const RUNS = 40;

/** One character: mostly any code point, often a character PostgreSQL or a reader trips over. */
const character = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x10ffff }).map((code) => String.fromCodePoint(code)) },
  { weight: 2, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', '\u202e', '\u2066', '\ufeff', '\r\n', '\t', ' ', '"', '\\') },
);
const text = fc.array(character, { minLength: 1, maxLength: 24 }).map((characters) => characters.join(''));

/**
 * Percent-encodes text for a URL; a lone surrogate (which has no UTF-8 form, so encodeURIComponent refuses it)
 * becomes the three bytes a careless client would send (its WTF-8 form).
 */
function percentEncode(value: string): string {
  return Array.from(value)
    .map((character) => {
      const code = character.charCodeAt(0);
      if (character.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('');
      }
      return encodeURIComponent(character);
    })
    .join('');
}

interface Counts {
  requests: number;
  client: number;
  server: number;
  altered: number;
  /** The first alteration seen: what was sent and what was read back. */
  example?: string;
}

describe('fuzz: generated text in bodies and query strings', () => {
  let world: TestWorld;
  let cookie: string;

  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
  });
  after(() => world.close());

  async function fuzz(seed: number): Promise<Counts> {
    const counts: Counts = { requests: 0, client: 0, server: 0, altered: 0 };
    const send = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const response = await world.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
      counts.requests += 1;
      if (response.statusCode >= 500) counts.server += 1;
      else if (response.statusCode >= 400) counts.client += 1;
      return response;
    };
    await fc.assert(
      fc.asyncProperty(text, text, text, async (name, context, query) => {
        const site = await send('POST', `/api/v1/investigations/${world.investigationId}/sites`, {
          site_type: 'cache',
          name,
          context,
        });
        assert.ok(site.statusCode < 500, site.body);
        if (site.statusCode === 201) {
          const read = await send('GET', `/api/v1/sites/${site.json<{ id: string }>().id}`);
          const stored = read.json<{ name: string; context: string }>();
          if (stored.name !== name.trim() || stored.context !== context) {
            counts.altered += 1;
            counts.example ??= JSON.stringify({ sent: [name.trim(), context], stored: [stored.name, stored.context] });
          }
        }
        const source = await send('POST', `/api/v1/investigations/${world.investigationId}/sources`, {
          kind: 'field_documentation',
          title: name,
          notes: context,
        });
        assert.ok(source.statusCode < 500, source.body);
        if (source.statusCode === 201) {
          const read = await send('GET', `/api/v1/sources/${source.json<{ id: string }>().id}`);
          const stored = read.json<{ title: string; notes: string }>();
          if (stored.title !== name.trim() || stored.notes !== context) {
            counts.altered += 1;
            counts.example ??= JSON.stringify({ sent: [name.trim(), context], stored: [stored.title, stored.notes] });
          }
        }
        const search = await send('GET', `/api/v1/markings/search?q=${percentEncode(query)}`);
        assert.ok(search.statusCode < 500, search.body);
        return true;
      }),
      { seed, numRuns: RUNS },
    );
    return counts;
  }

  for (const [label, seed] of [
    ['a fixed seed', 15],
    ['a random seed', Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))],
  ] as const) {
    it(`never answers 5xx and never alters a stored string (${label}: ${seed})`, async () => {
      const counts = await fuzz(seed);
      console.log(
        `fuzz seed ${seed}: ${counts.requests} requests, ${counts.client} 4xx, ${counts.server} 5xx, ` +
          `${counts.altered} altered`,
      );
      assert.equal(counts.server, 0);
      assert.equal(counts.altered, 0, counts.example);
    });
  }
});
