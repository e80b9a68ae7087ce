// Property-based fuzzing of every operation the OpenAPI document lists, and of
// the items CSV import (issue #15, item 8). For each path × method it sends
// bodies, query strings and path parameters generated from the operation's
// JSON schema (valid-shaped values carrying hostile text: NUL, lone
// surrogates, bidirectional controls, combining marks, very long strings;
// numbers at and past their limits; wrong types; unknown fields) and plain
// garbage, as a signed-in owner, an administrator and nobody. It asserts:
//   - no 5xx, ever;
//   - every 2xx write stored the strings it was sent exactly: the record read
//     back through its GET holds the same text (read back equals sent).
// It runs once with a fixed seed and once with a random one (printed, so a
// failure can be replayed with ARMTRACE_FUZZ_SEED=<seed>), and prints its
// counts as one plain line for CI's log. Bounded: ARMTRACE_FUZZ_BUDGET_MS
// (default 14 s per seed) shortens the runs per operation when the machine is
// slow, but every operation is visited at least once per seed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../../src/config/config.js';
import { DomainError } from '../../src/errors.js';
import type { Actor } from '../../src/features/access/schema.js';
import { importItemsCsv } from '../../src/features/imports/service.js';
import { buildApp } from '../../src/http/app.js';
import type { ApiApp } from '../../src/http/types.js';
import {
  createTestDatabase,
  createTestUser,
  testPassword,
  type TestDatabase,
} from '../../src/testing/test-database.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;
/** A JSON answer as the fuzz reads it; its shape is the server's schemas' business, not this test's. */
interface Answer extends Record<string, unknown> {
  id: string;
}
type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  method: HttpMethod;
  template: string;
  parameters: Parameter[];
  jsonBody: Schema | undefined;
  multipartBody: Schema | undefined;
}

/** Who sends a request. */
type Caller = 'owner' | 'admin' | 'nobody';

interface GeneratedRequest {
  caller: Caller;
  pathValues: Record<string, string>;
  query: string;
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: Json }
    | { kind: 'raw'; text: string; contentType: string }
    | {
        kind: 'multipart';
        fields: Record<string, string>;
        file: 'photo' | 'garbage' | 'empty' | 'none';
        filename: string;
      };
  /** For a write naming a `version`: send the record's current version instead of the generated one. */
  currentVersion: boolean;
}

interface Counts {
  requests: number;
  ok: number;
  clientErrors: number;
  serverErrors: number;
  altered: number;
  readBack: number;
  csvFiles: number;
  csvImported: number;
}

const fixedSeed = 15_008;
const budgetMs = Number(process.env.ARMTRACE_FUZZ_BUDGET_MS ?? 14_000);
const runsPerOperation = Number(process.env.ARMTRACE_FUZZ_RUNS ?? 4);
const csvRuns = Number(process.env.ARMTRACE_FUZZ_CSV_RUNS ?? 12);
const syncRuns = Number(process.env.ARMTRACE_FUZZ_SYNC_RUNS ?? 16);
/** While hunting causes: record every failure and go on, instead of stopping at the first. */
const keepGoing = process.env.ARMTRACE_FUZZ_KEEP_GOING === '1';

// ---------------------------------------------------------------------------
// Hostile text

/** Pieces that have broken text handling somewhere: each is valid JSON once encoded. */
const hostilePieces = [
  '\u0000',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\u202e',
  '\u202d',
  '\u2066',
  '\u200f',
  '\u061c',
  'e\u0301',
  '\u0301\u0302\u0303',
  'ﬁ',
  'Å',
  'A\u030a',
  '\ufeff',
  '\uffff',
  '\ufffd',
  '\u00a0',
  '\u2028',
  '\r\n',
  '\t',
  ' ',
  '  ',
  'ЗВ 1985',
  'مصنع ١٢',
  '٣٤٥',
  '𝟘𝟙',
  '😀',
  '👩🏽‍🔧',
  '漢字',
  "'; DROP TABLE items; --",
  '\\',
  '"',
  '%00',
  '%',
  '<script>alert(1)</script>',
  '${x}',
  '{{x}}',
  '../../etc/passwd',
  '\u001b[31m',
  '\u0085',
  '\u007f',
  'İ',
  'ß',
];

const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...hostilePieces), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 6 })
  .map((pieces) => pieces.join(''));

function stringArbitrary(schema: Schema): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 2_000;
  const choices: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, min + 40), unit: 'grapheme' }), weight: 3 },
    { arbitrary: hostileText, weight: 5 },
    { arbitrary: fc.constantFrom('', ' ', 'x'.repeat(max), 'x'.repeat(max + 1), '\u00e9'.repeat(max + 1)), weight: 1 },
    { arbitrary: fc.constant('ب'.repeat(Math.min(max, 20_000))), weight: 1 },
    { arbitrary: fc.constant('x'.repeat(70_000)), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  ];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    choices.push({ arbitrary: fc.constantFrom(...(schema.enum as string[])), weight: 10 });
  }
  if (typeof schema.pattern === 'string') {
    const matching = patternArbitrary(schema.pattern);
    if (matching !== undefined) choices.push({ arbitrary: matching, weight: 8 });
  }
  if (schema.format === 'uuid') choices.push({ arbitrary: knownIdArbitrary(), weight: 10 });
  // Valid-shaped text with something hostile inside: the case the storage check must catch.
  choices.push({
    arbitrary: fc
      .tuple(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom(...hostilePieces))
      .map(([text, piece]) => `${text}${piece}${text}`),
    weight: 3,
  });
  return fc.oneof(...choices);
}

const patternCache = new Map<string, fc.Arbitrary<string> | undefined>();
function patternArbitrary(pattern: string): fc.Arbitrary<string> | undefined {
  if (!patternCache.has(pattern)) {
    let found: fc.Arbitrary<string> | undefined;
    try {
      found = fc.stringMatching(new RegExp(pattern));
    } catch {
      found = undefined;
    }
    patternCache.set(pattern, found);
  }
  return patternCache.get(pattern);
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number | string | null> {
  const integer = schema.type === 'integer';
  const min = typeof schema.minimum === 'number' ? schema.minimum : integer ? -(2 ** 53) + 1 : -1e308;
  const max = typeof schema.maximum === 'number' ? schema.maximum : integer ? 2 ** 53 - 1 : 1e308;
  const edges = [min, max, min - 1, max + 1, 0, -1, 1, 0.5, -0.0, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 5e-324];
  return fc.oneof(
    {
      arbitrary: integer
        ? fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) })
        : fc.double({ min, max, noNaN: true }),
      weight: 4,
    },
    { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 3 },
    { arbitrary: fc.constantFrom(...edges), weight: 3 },
    { arbitrary: fc.constantFrom('1', '1e3', '', 'NaN', null), weight: 1 },
  );
}

const garbageJson: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(null, true, 0, -1, '', [], {}, { __proto__: { admin: true } } as Json, { constructor: 'x' }),
  hostileText,
);

/** A value for a JSON schema: mostly valid-shaped, sometimes of the wrong type. */
function valueArbitrary(schema: Schema, depth: number): fc.Arbitrary<Json> {
  const wrong = depth > 4 ? fc.constant<Json>(null) : garbageJson;
  return fc.oneof({ arbitrary: shapedArbitrary(schema, depth), weight: 12 }, { arbitrary: wrong, weight: 1 });
}

function shapedArbitrary(schema: Schema, depth: number): fc.Arbitrary<Json> {
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => shapedArbitrary(alternative, depth + 1)));
  }
  if ('const' in schema) return fc.constant(schema.const as Json);
  const type = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  const arbitraries = type.map((one): fc.Arbitrary<Json> => {
    switch (one) {
      case 'string':
        return stringArbitrary(schema);
      case 'integer':
      case 'number':
        return numberArbitrary(schema);
      case 'boolean':
        return fc.oneof(fc.boolean(), fc.constantFrom<Json>('true', 1, 0));
      case 'null':
        return fc.constant(null);
      case 'array': {
        if (depth > 4) return fc.constant([]);
        const items = (schema.items as Schema | undefined) ?? {};
        const maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : 5;
        return fc.oneof(
          { arbitrary: fc.array(valueArbitrary(items, depth + 1), { maxLength: Math.min(maxItems, 4) }), weight: 8 },
          { arbitrary: fc.constant(Array.from({ length: maxItems + 1 }, () => 'x')), weight: 1 },
        );
      }
      case 'object':
        return objectArbitrary(schema, depth);
      default:
        if (schema.properties !== undefined) return objectArbitrary(schema, depth);
        if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
        return garbageJson;
    }
  });
  return arbitraries.length === 1 ? arbitraries[0]! : fc.oneof(...arbitraries);
}

function objectArbitrary(schema: Schema, depth: number): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const entries = Object.entries(properties).map(([name, property]) =>
    fc
      .tuple(
        // Required fields nearly always present, optional ones half the time.
        fc.integer({ min: 0, max: 19 }),
        valueArbitrary(property, depth + 1),
      )
      .map(([dice, value]): [string, Json] | undefined =>
        (required.has(name) ? dice > 0 : dice % 2 === 0) ? [name, value] : undefined,
      ),
  );
  const unknown = fc.option(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('unknown_field', 'is_admin', 'investigation_id', 'created_by', '__proto__'),
        hostileText,
      ),
      garbageJson,
    ),
    {
      freq: 6,
    },
  );
  return fc.tuple(fc.tuple(...entries), unknown).map(([chosen, extra]) => {
    const object: Record<string, Json> = {};
    for (const entry of chosen) if (entry !== undefined) object[entry[0]] = entry[1];
    if (extra !== null)
      Object.defineProperty(object, extra[0], {
        value: extra[1],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return object;
  });
}

// ---------------------------------------------------------------------------
// Known records, so that generated references sometimes point at real ones

const known = {
  /** Ids of the records the fuzz may change (every kind), by the path segment that names them. */
  byKind: new Map<string, string[]>(),
  /** Records set aside for archive and merge, so the main ones stay usable. */
  spareByKind: new Map<string, string[]>(),
  all: [] as string[],
};

function remember(kind: string, id: string, spare = false): void {
  const map = spare ? known.spareByKind : known.byKind;
  map.set(kind, [...(map.get(kind) ?? []), id]);
  known.all.push(id);
}

function knownIdArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    {
      arbitrary: fc.constantFrom(...(known.all.length > 0 ? known.all : ['00000000-0000-0000-0000-000000000000'])),
      weight: 4,
    },
    { arbitrary: fc.uuid(), weight: 1 },
  );
}

// ---------------------------------------------------------------------------
// Requests

/** Percent-encodes text as WTF-8, so a lone surrogate reaches the server as its three bytes. */
function percentEncode(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index += 1) {
    let point = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (point >= 0xd800 && point <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
      index += 1;
    }
    if (point < 0x80 && /[A-Za-z0-9._~-]/.test(String.fromCharCode(point))) {
      encoded += String.fromCharCode(point);
      continue;
    }
    const bytes =
      point < 0x80
        ? [point]
        : point < 0x800
          ? [0xc0 | (point >> 6), 0x80 | (point & 0x3f)]
          : point < 0x10000
            ? [0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f)]
            : [
                0xf0 | (point >> 18),
                0x80 | ((point >> 12) & 0x3f),
                0x80 | ((point >> 6) & 0x3f),
                0x80 | (point & 0x3f),
              ];
    encoded += bytes.map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return encoded;
}

/** The resource a path parameter names: the literal segment before it (`/items/{id}` → items). */
function kindOfParameter(template: string, name: string): string {
  const segments = template.split('/');
  const at = segments.indexOf(`{${name}}`);
  return at > 0 ? segments[at - 1]! : '';
}

function pathValueArbitrary(operation: Operation, name: string): fc.Arbitrary<string> {
  const kind = kindOfParameter(operation.template, name);
  const destructive = /\/(archive|merge)$/.test(operation.template) || operation.method === 'DELETE';
  const pool = (destructive ? known.spareByKind.get(kind) : undefined) ?? known.byKind.get(kind) ?? [];
  return fc.oneof(
    { arbitrary: pool.length > 0 ? fc.constantFrom(...pool) : fc.uuid(), weight: 12 },
    { arbitrary: fc.uuid(), weight: 1 },
    { arbitrary: fc.constantFrom(...known.all), weight: 1 },
    { arbitrary: hostileText.map(percentEncode), weight: 1 },
    { arbitrary: fc.constantFrom('%ED%A0%80', '%00', '%', '..', 'null', '-1', '1e999', '%E2%80%AE'), weight: 1 },
  );
}

function queryArbitrary(operation: Operation): fc.Arbitrary<string> {
  const parameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const pairs = parameters.map((parameter) =>
    fc.option(
      valueArbitrary(parameter.schema ?? {}, 1).map((value) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return `${percentEncode(parameter.name)}=${percentEncode(text)}`;
      }),
      { freq: 2 },
    ),
  );
  const garbage = fc.option(
    fc.oneof(
      fc.constantFrom('%ED%A0%80=1', 'q=%00', 'limit=%', '=', '&&&', 'a[b]=c', 'limit=1&limit=2', 'q=%FF%FE'),
      hostileText.map((text) => `${percentEncode(text)}=${percentEncode(text)}`),
    ),
    { freq: 5 },
  );
  return fc.tuple(fc.tuple(...pairs), garbage).map(([chosen, extra]) => {
    const parts = chosen.filter((part): part is string => part !== null);
    if (extra !== null) parts.push(extra);
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  });
}

function bodyArbitrary(operation: Operation): fc.Arbitrary<GeneratedRequest['body']> {
  if (operation.multipartBody !== undefined) {
    const variants = ((operation.multipartBody.anyOf ?? [operation.multipartBody]) as Schema[]).find(
      (variant) => variant.properties !== undefined,
    );
    const fieldSchemas = Object.entries((variants?.properties ?? {}) as Record<string, Schema>).filter(
      ([name]) => name !== 'file',
    );
    return fc
      .tuple(
        fc.tuple(
          ...fieldSchemas.map(([name, schema]) =>
            fc.option(
              valueArbitrary(schema, 1).map(
                (value) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as const,
              ),
              { freq: 2 },
            ),
          ),
        ),
        fc.constantFrom('photo' as const, 'photo' as const, 'garbage' as const, 'empty' as const, 'none' as const),
        fc.oneof(
          fc.constant('photo.jpg'),
          hostileText.map((text) => `${text}.jpg`),
          fc.constant('photo\u202egpj.exe'),
        ),
      )
      .map(([fields, file, filename]) => ({
        kind: 'multipart' as const,
        fields: Object.fromEntries(fields.filter((field) => field !== null)),
        file,
        filename,
      }));
  }
  if (operation.jsonBody === undefined) {
    return fc.oneof(
      { arbitrary: fc.constant({ kind: 'none' as const }), weight: 6 },
      { arbitrary: garbageJson.map((value) => ({ kind: 'json' as const, value })), weight: 1 },
    );
  }
  return fc.oneof(
    { arbitrary: valueArbitrary(operation.jsonBody, 0).map((value) => ({ kind: 'json' as const, value })), weight: 14 },
    { arbitrary: garbageJson.map((value) => ({ kind: 'json' as const, value })), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('raw' as const),
        text: fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.constantFrom('{', '{"a":', '\u0000', '[1,2', 'null', '"\\ud800"', '{"title":"\\u0000"}'),
        ),
        contentType: fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        ),
      }),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'none' as const }), weight: 1 },
  );
}

function requestArbitrary(operation: Operation): fc.Arbitrary<GeneratedRequest> {
  const pathNames = [...operation.template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  return fc.record({
    caller: fc.constantFrom<Caller>('owner', 'owner', 'owner', 'owner', 'owner', 'owner', 'admin', 'nobody'),
    pathValues: fc
      .tuple(...pathNames.map((name) => pathValueArbitrary(operation, name).map((value) => [name, value] as const)))
      .map((pairs) => Object.fromEntries(pairs)),
    query: queryArbitrary(operation),
    body: bodyArbitrary(operation),
    currentVersion: fc.boolean(),
  });
}

// ---------------------------------------------------------------------------
// Comparing what was sent with what was stored

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Two strings name the same value: equal, or the same instant written two ways, or the same UUID in another
 * case (a UUID and an instant are values, stored in their own types; their spelling is not information).
 */
function sameText(sent: string, stored: string): boolean {
  if (sent === stored) return true;
  if (DATE_TIME.test(sent) && DATE_TIME.test(stored)) return Date.parse(sent) === Date.parse(stored);
  if (UUID.test(sent) && UUID.test(stored)) return sent.toLowerCase() === stored.toLowerCase();
  return false;
}

/**
 * The normalisations the API documents for a field (in its OpenAPI description), applied to what was sent:
 * the stored value must be exactly this. Any other field must be stored as sent.
 */
const documentedNormalisations: Record<string, (sent: unknown) => unknown> = {
  // actors: "ISO 3166-1 alpha-2, accepted in any case and stored upper-case".
  country_code: (sent) => (typeof sent === 'string' ? sent.trim().toUpperCase() : sent),
  // items: "Free tags; trimmed, lower-cased and deduplicated".
  tags: (sent) =>
    Array.isArray(sent)
      ? [...new Set((sent as unknown[]).map((tag) => (typeof tag === 'string' ? tag.trim().toLowerCase() : tag)))]
      : sent,
  // actors: "Other names in any script: trimmed, blanks dropped, each kept once in the order given" (and NFC).
  aliases: (sent) =>
    Array.isArray(sent)
      ? [
          ...new Set(
            (sent as unknown[])
              .map((alias) => (typeof alias === 'string' ? alias.normalize('NFC').trim() : alias))
              .filter((alias) => alias !== ''),
          ),
        ]
      : sent,
};

/** `sent` without the fields its schema does not declare (unknown fields are ignored, not stored). */
function declaredPart(sent: unknown, schema: Schema | undefined): unknown {
  if (schema === undefined) return sent;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (Array.isArray(sent)) {
    const items = (schema.items as Schema | undefined) ?? alternatives?.find((one) => one.items !== undefined)?.items;
    return sent.map((entry) => declaredPart(entry, items as Schema | undefined));
  }
  if (sent !== null && typeof sent === 'object') {
    const properties = (schema.properties ?? alternatives?.find((one) => one.properties !== undefined)?.properties) as
      Record<string, Schema> | undefined;
    if (properties === undefined) return sent;
    return Object.fromEntries(
      Object.entries(sent)
        .filter(([key]) => Object.prototype.hasOwnProperty.call(properties, key))
        .map(([key, value]) => [key, declaredPart(value, properties[key])]),
    );
  }
  return sent;
}

/** Every string leaf of `sent` whose place exists in `stored` must be there unchanged. */
function differences(sent: unknown, stored: unknown, at: string, found: string[]): void {
  if (typeof sent === 'string') {
    if (typeof stored === 'string' ? !sameText(sent, stored) : stored === null) {
      found.push(`${at}: sent ${JSON.stringify(sent).slice(0, 120)}, stored ${JSON.stringify(stored).slice(0, 120)}`);
    }
  } else if (Array.isArray(sent)) {
    if (!Array.isArray(stored)) return;
    if (sent.length !== stored.length && sent.every((entry) => typeof entry === 'string')) {
      found.push(`${at}: sent ${JSON.stringify(sent).slice(0, 120)}, stored ${JSON.stringify(stored).slice(0, 120)}`);
      return;
    }
    sent.forEach((entry, index) => differences(entry, stored[index], `${at}[${index}]`, found));
  } else if (sent !== null && typeof sent === 'object' && stored !== null && typeof stored === 'object') {
    for (const [key, value] of Object.entries(sent)) {
      if (Object.prototype.hasOwnProperty.call(stored, key)) {
        const expected = Object.prototype.hasOwnProperty.call(documentedNormalisations, key)
          ? documentedNormalisations[key]!(value)
          : value;
        differences(expected, (stored as Record<string, unknown>)[key], at === '' ? key : `${at}.${key}`, found);
      }
    }
  }
}

/** A new seed each run, or the one ARMTRACE_FUZZ_SEED names to replay a failure. */
function randomSeed(): number {
  const replay = process.env.ARMTRACE_FUZZ_SEED;
  if (replay === undefined || replay === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(replay);
  if (!Number.isSafeInteger(seed)) throw new Error(`ARMTRACE_FUZZ_SEED=${replay} is not a whole number`);
  return seed;
}

/** fast-check's report (seed, path, counterexample) and, below it, what the property found. */
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}\n${error.cause.message}` : error.message;
}

// ---------------------------------------------------------------------------

describe('fuzzing every operation of the OpenAPI document', () => {
  let test: TestDatabase | undefined;
  let app: ApiApp | undefined;
  let dataDir: string | undefined;
  let owner: Actor;
  let investigationId: string;
  const operations: Operation[] = [];
  let templates: Set<string>;
  const cookies: Record<Exclude<Caller, 'nobody'>, string> = { owner: '', admin: '' };
  const counts: Counts = {
    requests: 0,
    ok: 0,
    clientErrors: 0,
    serverErrors: 0,
    altered: 0,
    readBack: 0,
    csvFiles: 0,
    csvImported: 0,
  };
  const failures: string[] = [];
  let photo: Buffer;

  async function signIn(username: string): Promise<string> {
    const response = await app!.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { username, password: testPassword },
    });
    if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.body}`);
    return response.cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
  }

  /** A plain request the fuzz itself makes (fixtures, read-backs): must succeed. */
  async function call(method: HttpMethod, url: string, payload?: unknown, caller: Caller = 'owner'): Promise<Answer> {
    const response = await app!.inject({
      method,
      url,
      headers: caller === 'nobody' ? {} : { cookie: cookies[caller] },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (response.statusCode >= 300) throw new Error(`${method} ${url} → ${response.statusCode}: ${response.body}`);
    return (response.body === '' ? {} : response.json()) as Answer;
  }

  /** The session may have been ended by a generated sign-out or a password change: sign in again. */
  async function keepSignedIn(caller: Exclude<Caller, 'nobody'>): Promise<void> {
    const me = await app!.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: cookies[caller] } });
    if (me.statusCode === 401) cookies[caller] = await signIn(caller === 'owner' ? 'owner' : 'admin');
  }

  before(async () => {
    const setupStarted = performance.now();
    const mark = (what: string) => console.log(`setup: ${what} at ${Math.round(performance.now() - setupStarted)} ms`);
    test = await createTestDatabase();
    mark('database');
    await createTestUser(test.db, 'admin', true);
    owner = await createTestUser(test.db, 'owner');
    await createTestUser(test.db, 'helper');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-fuzz-'));
    const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
    app = await buildApp({ db: test.db, config, logger: false });
    cookies.owner = await signIn('owner');
    cookies.admin = await signIn('admin');
    mark('users and sessions');
    photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#7a8c5a' } })
      .jpeg()
      .toBuffer();

    const document = await call('GET', '/api/v1/openapi.json', undefined, 'nobody');
    for (const [template, methods] of Object.entries(
      document.paths as Record<
        string,
        Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
      >,
    )) {
      for (const [method, operation] of Object.entries(methods)) {
        const content = operation.requestBody?.content ?? {};
        operations.push({
          method: method.toUpperCase() as HttpMethod,
          template,
          parameters: operation.parameters ?? [],
          jsonBody: content['application/json']?.schema,
          multipartBody: content['multipart/form-data']?.schema,
        });
      }
    }
    templates = new Set(
      operations.filter((operation) => operation.method === 'GET').map((operation) => operation.template),
    );
    assert.ok(operations.length > 50, `the OpenAPI document lists ${operations.length} operations`);

    mark('OpenAPI document');
    // Two of every kind of record: the main ones, and spares that archive and merge may take.
    for (const spare of [false, true]) {
      const investigation = await call('POST', '/api/v1/investigations', { title: spare ? 'Spare' : 'Fuzzed' });
      if (!spare) investigationId = investigation.id;
      remember('investigations', investigation.id, spare);
      const members = await call('POST', `/api/v1/investigations/${investigation.id}/members`, {
        username: 'helper',
        role: 'investigator',
      });
      remember('members', members.id, spare);
      const site = await call('POST', `/api/v1/investigations/${investigation.id}/sites`, {
        site_type: 'cache',
        name: 'Site',
      });
      remember('sites', site.id, spare);
      const zone = await call('POST', `/api/v1/sites/${site.id}/zones`, { name: 'Zone' });
      remember('zones', zone.id, spare);
      const item = await call('POST', `/api/v1/investigations/${investigation.id}/items`, {
        site_id: site.id,
        category: 'small_arm',
      });
      remember('items', item.id, spare);
      const marking = await call('POST', `/api/v1/items/${item.id}/markings`, { text: 'ЗВ 1985', kind: 'serial' });
      remember('markings', marking.id, spare);
      const source = await call('POST', `/api/v1/investigations/${investigation.id}/sources`, {
        kind: 'other',
        title: 'Source',
      });
      remember('sources', source.id, spare);
      const incident = await call('POST', `/api/v1/investigations/${investigation.id}/incidents`, {
        incident_type: 'other',
        title: 'Incident',
      });
      remember('incidents', incident.id, spare);
      const actor = await call('POST', `/api/v1/investigations/${investigation.id}/actors`, {
        actor_type: 'manufacturer',
        name: 'Actor',
      });
      remember('actors', actor.id, spare);
      const traceRequest = await call('POST', `/api/v1/investigations/${investigation.id}/trace-requests`, {
        addressee_id: actor.id,
        subject: 'Request',
        item_ids: [item.id],
      });
      remember('trace-requests', traceRequest.id, spare);
      const claim = await call('POST', `/api/v1/investigations/${investigation.id}/provenance-claims`, {
        event_type: 'produced',
        confidence: 'possible',
        item_id: item.id,
      });
      remember('provenance-claims', claim.id, spare);
      const media = await sendMultipart(
        `/api/v1/investigations/${investigation.id}/media`,
        {},
        'photo',
        'photo.jpg',
        'owner',
      );
      assert.equal(media.statusCode, 201, media.body);
      const mediaId = media.json<Answer>().id;
      remember('media', mediaId, spare);
      const link = await call('POST', `/api/v1/media/${mediaId}/links`, { item_id: item.id });
      if (typeof link.id === 'string') remember('media-links', link.id, spare);
      const document = await call('POST', `/api/v1/trace-requests/${traceRequest.id}/documents`, {
        media_id: mediaId,
        kind: 'request',
      });
      remember('trace-request-documents', document.id, spare);
    }
    mark('records');
    known.byKind.set('itemId', known.byKind.get('items')!);
    known.spareByKind.set('itemId', known.spareByKind.get('items')!);
    known.byKind.set('membershipId', known.byKind.get('members')!);
    known.spareByKind.set('membershipId', known.spareByKind.get('members')!);
  });

  after(async () => {
    console.log(
      `fuzz counts: requests=${counts.requests} 2xx=${counts.ok} 4xx=${counts.clientErrors} ` +
        `5xx=${counts.serverErrors} altered=${counts.altered} read_back=${counts.readBack} ` +
        `csv_files=${counts.csvFiles} csv_imported=${counts.csvImported} database=${test?.kind ?? 'none'}`,
    );
    await app?.close();
    await test?.close();
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function sendMultipart(
    url: string,
    fields: Record<string, string>,
    file: 'photo' | 'garbage' | 'empty' | 'none',
    filename: string,
    caller: Caller,
  ) {
    const boundary = `----armtracefuzz${counts.requests}`;
    const parts: Buffer[] = [];
    for (const [name, value] of Object.entries(fields)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    if (file !== 'none') {
      const bytes =
        file === 'photo' ? photo : file === 'garbage' ? Buffer.from('not a picture \u0000\u00ff') : Buffer.alloc(0);
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename.replace(/["\r\n]/g, '_')}"\r\nContent-Type: image/jpeg\r\n\r\n`,
        ),
        bytes,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return app!.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(caller === 'nobody' ? {} : { cookie: cookies[caller] }),
      },
      payload: Buffer.concat(parts),
    });
  }

  /** The record a successful write made or changed, read back through its GET; undefined when none lists it. */
  async function readBack(operation: Operation, url: string, answer: Answer, reader: Caller): Promise<unknown> {
    const id = typeof answer.id === 'string' ? answer.id : undefined;
    const segments = operation.template.split('/');
    const last = segments.at(-1)!;
    if (id !== undefined && !last.startsWith('{') && templates.has(`/api/v1/${last}/{id}`)) {
      const own = await app!.inject({
        method: 'GET',
        url: `/api/v1/${last}/${id}`,
        headers: reader === 'nobody' ? {} : { cookie: cookies[reader] },
      });
      if (own.statusCode === 200) return own.json();
      // Not a record of that kind (POST /incidents/{id}/items answers with the link): read it another way.
    }
    const pathOnly = url.split('?')[0]!;
    if (templates.has(operation.template)) {
      const listed = await call(
        'GET',
        `${pathOnly}${operation.method === 'PATCH' ? '' : '?include_archived=true&limit=500'}`,
        undefined,
        reader,
      );
      if (Array.isArray(listed.items)) return (listed.items as Answer[]).find((entry) => entry.id === id);
      if (Array.isArray(listed)) return (listed as Answer[]).find((entry) => entry.id === id);
      return listed;
    }
    // A write on a sub-path (/x/{id}/archive, /x/{id}/disposal): the record it acts on.
    const parent = segments.slice(0, 5).join('/');
    if (segments.length > 5 && templates.has(parent))
      return call('GET', pathOnly.split('/').slice(0, 5).join('/'), undefined, reader);
    return undefined;
  }

  async function sendGenerated(operation: Operation, generated: GeneratedRequest): Promise<void> {
    let url = operation.template;
    for (const [name, value] of Object.entries(generated.pathValues)) url = url.replace(`{${name}}`, value);
    url += generated.query;
    const headers: Record<string, string> = generated.caller === 'nobody' ? {} : { cookie: cookies[generated.caller] };
    let body = generated.body;
    // A write naming a version gets the current one half the time, so that it can succeed.
    if (
      generated.currentVersion &&
      body.kind === 'json' &&
      body.value !== null &&
      typeof body.value === 'object' &&
      !Array.isArray(body.value) &&
      'version' in body.value
    ) {
      const target = operation.template.includes('/members/')
        ? undefined
        : url.split('?')[0]!.split('/').slice(0, 5).join('/');
      if (target !== undefined && templates.has(operation.template.split('/').slice(0, 5).join('/'))) {
        const current = await app!.inject({ method: 'GET', url: target, headers: { cookie: cookies.owner } });
        if (current.statusCode === 200)
          body = { kind: 'json', value: { ...body.value, version: current.json<Answer>().version as Json } };
      }
    }
    // Sign-in attempts come from other addresses, so the throttle never locks out the fuzz's own sessions.
    const remoteAddress = operation.template.endsWith('/sign-in')
      ? `10.15.${counts.requests % 250}.${(counts.requests >> 8) % 250}`
      : '127.0.0.1';
    let response;
    let sent: unknown;
    if (body.kind === 'multipart') {
      response = await sendMultipart(url, body.fields, body.file, body.filename, generated.caller);
      // What went on the wire: multipart text is UTF-8, where a lone surrogate already became U+FFFD. An empty
      // form field is documented as not given (a browser sends every empty input), so it is not a stored value.
      sent = Object.fromEntries(
        Object.entries(body.fields)
          .filter(([, value]) => value !== '')
          .map(([name, value]) => [name, Buffer.from(value).toString()]),
      );
    } else if (body.kind === 'json') {
      response = await app!.inject({
        method: operation.method,
        url,
        remoteAddress,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: JSON.stringify(body.value),
      });
      sent = declaredPart(body.value, operation.jsonBody);
    } else if (body.kind === 'raw') {
      response = await app!.inject({
        method: operation.method,
        url,
        remoteAddress,
        headers: { ...headers, 'content-type': body.contentType },
        payload: body.text,
      });
    } else {
      response = await app!.inject({ method: operation.method, url, remoteAddress, headers });
    }
    counts.requests += 1;
    const status = response.statusCode;
    const described = () =>
      `${operation.method} ${url.slice(0, 300)} as ${generated.caller} body ${JSON.stringify(body).slice(0, 400)} → ${status} ${response.body.slice(0, 400)}`;
    if (status >= 500) {
      counts.serverErrors += 1;
      if (keepGoing) {
        failures.push(`5xx: ${described()}`);
        return;
      }
      throw new Error(`server error: ${described()}`);
    }
    if (status >= 400) counts.clientErrors += 1;
    else counts.ok += 1;
    if (status === 401 && generated.caller !== 'nobody') await keepSignedIn(generated.caller);
    if (operation.template.endsWith('/sign-out') && generated.caller !== 'nobody') await keepSignedIn(generated.caller);
    if (status >= 300 || operation.method === 'GET' || sent === undefined || operation.template.endsWith('/sync'))
      return;
    if (!(response.headers['content-type'] ?? '').toString().includes('json')) return;
    const answer = response.json<Answer>();
    // Read back as whoever wrote it (a sign-in or other public write is read as the owner).
    const stored = await readBack(operation, url, answer, generated.caller === 'nobody' ? 'owner' : generated.caller);
    const found: string[] = [];
    if (stored !== undefined) {
      counts.readBack += 1;
      differences(sent, stored, '', found);
    } else {
      differences(sent, answer, '', found);
    }
    if (found.length > 0) {
      counts.altered += 1;
      if (keepGoing) {
        failures.push(`altered: ${described()}: ${found.join('; ')}`);
        return;
      }
      throw new Error(`stored text differs from the text sent: ${found.join('; ')}\n${described()}`);
    }
  }

  async function fuzzOperations(seed: number): Promise<void> {
    const started = performance.now();
    for (const [index, operation] of operations.entries()) {
      const late = performance.now() - started > (budgetMs * index) / operations.length;
      // One property per operation, so that every operation is tried; a failure is noted and the next one goes on.
      try {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(operation), (generated) => sendGenerated(operation, generated)),
          { seed: seed + index, numRuns: late ? 1 : runsPerOperation, endOnFailure: true },
        );
      } catch (error) {
        failures.push(`${operation.method} ${operation.template}: ${failureText(error)}`);
      }
    }
  }

  for (const [name, seed] of [
    ['a fixed seed', fixedSeed],
    ['a random seed', randomSeed()],
  ] as const) {
    it(`answers no 5xx and stores every accepted string exactly, with ${name} (${seed})`, async () => {
      console.log(`fuzz seed ${seed} (replay with ARMTRACE_FUZZ_SEED=${seed})`);
      failures.length = 0;
      const before = { ...counts };
      try {
        await fuzzOperations(seed);
        await fuzzCsvImport(seed);
        await fuzzSync(seed);
      } finally {
        console.log(
          `fuzz seed ${seed}: requests=${counts.requests - before.requests} 2xx=${counts.ok - before.ok} ` +
            `4xx=${counts.clientErrors - before.clientErrors} 5xx=${counts.serverErrors - before.serverErrors} ` +
            `altered=${counts.altered - before.altered}`,
        );
      }
      if (keepGoing) for (const failure of failures) console.log(failure);
      assert.deepEqual(failures, []);
    });
  }

  // -------------------------------------------------------------------------
  // CSV import

  const csvColumns = [
    'site_ref',
    'site_name',
    'site_type',
    'lat',
    'lon',
    'recovered_on',
    'item_ref',
    'category',
    'model',
    'quantity',
    'marking_kind',
    'marking_text',
    'marking_position',
  ];

  function csvCell(text: string): string {
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  /** A cell: mostly text in any script (so that files get imported), sometimes hostile. */
  const csvText = fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        'ЗВ 1985',
        'مصنع ١٢',
        ' leading',
        'trailing ',
        'e\u0301',
        '\u202egnp.exe',
        '"quoted"',
        'a,b',
        'two\nlines',
      ),
      weight: 3,
    },
    // A file holds bytes: a lone surrogate of a JS string reaches it as U+FFFD, so the row says what the file says.
    { arbitrary: hostileText.map((text) => Buffer.from(text, 'utf8').toString('utf8')), weight: 1 },
  );
  const optionalCsvText = fc.oneof(fc.constant(''), csvText);

  const csvRow = (line: number) =>
    fc.record({
      site_ref: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 2 ** 30 }).map((n) => `S-${line % 2}-${n}`), weight: 6 },
        { arbitrary: csvText, weight: 1 },
      ),
      site_name: fc.oneof({ arbitrary: csvText, weight: 8 }, { arbitrary: fc.constant(''), weight: 1 }),
      site_type: fc.oneof(
        { arbitrary: fc.constantFrom('', 'cache', 'other'), weight: 6 },
        { arbitrary: hostileText, weight: 1 },
      ),
      lat: fc.oneof(
        { arbitrary: fc.double({ min: -90, max: 90, noNaN: true }).map(String), weight: 6 },
        { arbitrary: fc.constantFrom('', '90.0000001', '1e1', 'x'), weight: 1 },
      ),
      lon: fc.oneof(
        { arbitrary: fc.double({ min: -180, max: 180, noNaN: true }).map(String), weight: 6 },
        { arbitrary: fc.constantFrom('', '-180.5', '0x10'), weight: 1 },
      ),
      recovered_on: fc.oneof(fc.constantFrom('', '', '2024-02-29', '2023-02-29', '2024-13-01'), hostileText),
      item_ref: fc.oneof(
        { arbitrary: fc.integer({ min: 1, max: 2 ** 30 }).map((n) => `I-${line}-${n}`), weight: 6 },
        { arbitrary: csvText, weight: 1 },
      ),
      category: fc.oneof(
        { arbitrary: fc.constantFrom('small_arm', 'cartridges', 'other'), weight: 12 },
        { arbitrary: hostileText, weight: 1 },
      ),
      model: optionalCsvText,
      quantity: fc.constantFrom('', '', '1', '7', '0', '-1', '1.5', '100000001', '1e3', 'x'),
      marking_kind: fc.oneof(
        { arbitrary: fc.constantFrom('serial', 'lot', 'factory_code'), weight: 12 },
        { arbitrary: fc.constantFrom('', 'hologram'), weight: 1 },
      ),
      marking_text: fc.oneof({ arbitrary: csvText, weight: 12 }, { arbitrary: fc.constant(''), weight: 1 }),
      marking_position: optionalCsvText,
    });

  /** A row whose every cell is acceptable: text in any script, including text that is easy to alter. */
  const storableText = fc.oneof(
    {
      arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((text) => text.trim() !== ''),
      weight: 4,
    },
    {
      arbitrary: fc.constantFrom(
        'ЗВ 1985',
        'مصنع ١٢',
        ' leading',
        'trailing ',
        'e\u0301',
        'A\u030a',
        '\u202egnp.exe',
        '"quoted"',
        'a,b',
        'two\nlines',
        '\ufeffbom',
      ),
      weight: 3,
    },
  );
  const cleanRow = (line: number) =>
    fc.record({
      site_ref: fc.integer({ min: 1, max: 2 ** 30 }).map((n) => `S-${line % 2}-${n}`),
      site_name: storableText,
      site_type: fc.constantFrom('cache', 'other', 'checkpoint'),
      lat: fc.double({ min: -90, max: 90, noNaN: true }).map(String),
      lon: fc.double({ min: -180, max: 180, noNaN: true }).map(String),
      recovered_on: fc.constantFrom('2024-02-29', '1999-12-31'),
      item_ref: fc.integer({ min: 1, max: 2 ** 30 }).map((n) => `I-${line}-${n}`),
      category: fc.constantFrom('small_arm', 'cartridges', 'other'),
      model: storableText,
      quantity: fc.constantFrom('1', '7', '100000000'),
      marking_kind: fc.constantFrom('serial', 'lot', 'factory_code'),
      marking_text: storableText,
      marking_position: storableText,
    });

  const csvFile = fc.record({
    rows: fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.boolean())
      .chain(([count, hostile]) =>
        fc.tuple(...Array.from({ length: count }, (_, line) => (hostile ? csvRow(line) : cleanRow(line)))),
      ),
    // The required columns, optional ones in pairs that go together, in any order; rarely any subset at all.
    columns: fc.oneof(
      {
        arbitrary: fc
          .tuple(
            fc.subarray([
              ['lat', 'lon'],
              ['recovered_on'],
              ['model'],
              ['quantity'],
              ['marking_kind', 'marking_text'],
              ['marking_position'],
            ]),
            fc.nat(),
          )
          .map(([groups, turn]) => {
            const chosen = ['site_ref', 'site_name', 'site_type', 'item_ref', 'category', ...groups.flat()];
            return [...chosen.slice(turn % chosen.length), ...chosen.slice(0, turn % chosen.length)];
          }),
        weight: 8,
      },
      { arbitrary: fc.shuffledSubarray(csvColumns, { minLength: 1 }), weight: 1 },
    ),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    // Bytes: UTF-8 as written, with a BOM, Windows-1252 bytes spliced in, or a stray invalid byte.
    damage: fc.constantFrom('none', 'none', 'none', 'none', 'bom', 'latin1', 'stray-byte', 'truncated'),
  });

  // -------------------------------------------------------------------------
  // Offline sync: each operation's body is generated from the schema of the REST write it stands for, so that
  // operations get applied and their stored records can be read back.

  /** Sync operation type → the REST write whose body it carries, the GET that reads it back, the parent it adds. */
  const syncWrites = {
    'site.create': { write: 'POST /api/v1/investigations/{id}/sites', read: 'sites', parent: undefined },
    'zone.create': { write: 'POST /api/v1/sites/{id}/zones', read: undefined, parent: 'site_id' },
    'item.create': { write: 'POST /api/v1/investigations/{id}/items', read: 'items', parent: undefined },
    'marking.create': { write: 'POST /api/v1/items/{id}/markings', read: 'markings', parent: 'item_id' },
    'custody.create': { write: 'POST /api/v1/items/{id}/custody', read: undefined, parent: 'item_id' },
    'site.update': { write: 'PATCH /api/v1/sites/{id}', read: 'sites', parent: undefined },
    'item.update': { write: 'PATCH /api/v1/items/{id}', read: 'items', parent: undefined },
  } as const;
  type SyncType = keyof typeof syncWrites;

  function syncOperationArbitrary() {
    return fc.constantFrom(...(Object.keys(syncWrites) as SyncType[])).chain((type) => {
      const { write } = syncWrites[type];
      const operation = operations.find((candidate) => `${candidate.method} ${candidate.template}` === write);
      assert.ok(operation?.jsonBody !== undefined, `the OpenAPI document lists ${write}`);
      return fc.record({
        type: fc.constant(type),
        body: valueArbitrary(operation.jsonBody, 0),
        currentVersion: fc.boolean(),
      });
    });
  }

  async function fuzzSync(seed: number): Promise<void> {
    const sites = known.byKind.get('sites')!;
    const items = known.byKind.get('items')!;
    try {
      await fc.assert(
        fc.asyncProperty(syncOperationArbitrary(), async ({ type, body, currentVersion }) => {
          const { read, parent } = syncWrites[type];
          const update = type.endsWith('.update');
          const recordId = update ? (type === 'site.update' ? sites[0]! : items[0]!) : uuidv7();
          const payload: Record<string, Json> =
            body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body } : { value: body };
          delete payload.version;
          if (parent === 'site_id') payload.site_id = sites[0]!;
          if (parent === 'item_id') payload.item_id = items[0]!;
          let baseVersion: number | undefined;
          if (update) {
            const current = await call('GET', `/api/v1/${read!}/${recordId}`);
            baseVersion = currentVersion ? (current.version as number) : 1;
          }
          const operation = {
            op_id: uuidv7(),
            captured_at: new Date().toISOString(),
            type,
            investigation_id: investigationId,
            record_id: recordId,
            ...(baseVersion === undefined ? {} : { base_version: baseVersion }),
            body: payload,
          };
          const response = await app!.inject({
            method: 'POST',
            url: '/api/v1/sync',
            headers: { cookie: cookies.owner },
            payload: {
              device_id: '01a24600-0000-7000-8000-000000000001',
              device_time: new Date().toISOString(),
              operations: [operation],
            },
          });
          counts.requests += 1;
          const described = () =>
            `sync ${JSON.stringify(operation).slice(0, 500)} → ${response.statusCode} ${response.body.slice(0, 500)}`;
          const result = response.statusCode === 200 ? response.json<{ results: Answer[] }>().results[0] : undefined;
          const problemStatus = (result?.problem as { status?: number } | undefined)?.status ?? 0;
          if (response.statusCode >= 500 || problemStatus >= 500) {
            counts.serverErrors += 1;
            if (keepGoing) {
              failures.push(`5xx: ${described()}`);
              return;
            }
            throw new Error(`server error: ${described()}`);
          }
          if (
            response.statusCode >= 400 ||
            result === undefined ||
            !['created', 'applied'].includes(result.status as string)
          ) {
            counts.clientErrors += 1;
            return;
          }
          counts.ok += 1;
          const { write } = syncWrites[type];
          const schema = operations.find(
            (candidate) => `${candidate.method} ${candidate.template}` === write,
          )!.jsonBody;
          const stored = read === undefined ? result.record : await call('GET', `/api/v1/${read}/${recordId}`);
          counts.readBack += 1;
          const found: string[] = [];
          differences(declaredPart(payload, schema), stored, '', found);
          if (found.length > 0) {
            counts.altered += 1;
            if (keepGoing) {
              failures.push(`altered: ${described()}: ${found.join('; ')}`);
              return;
            }
            throw new Error(`stored text differs from the text sent: ${found.join('; ')}\n${described()}`);
          }
        }),
        { seed, numRuns: syncRuns, endOnFailure: true },
      );
    } catch (error) {
      failures.push(`sync: ${failureText(error)}`);
    }
  }

  async function fuzzCsvImport(seed: number): Promise<void> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-fuzz-csv-'));
    try {
      await fc.assert(
        fc.asyncProperty(csvFile, async (generated) => {
          counts.csvFiles += 1;
          // A clean file's references are new, so that its sites and items are the ones it creates.
          const fresh = (column: string, value: string) =>
            (column === 'site_ref' || column === 'item_ref') && /^[SI]-/.test(value)
              ? `F${counts.csvFiles}-${value}`
              : value;
          const rows = generated.rows.map((row) =>
            Object.fromEntries(
              generated.columns.map((column) => [column, fresh(column, (row as Record<string, string>)[column] ?? '')]),
            ),
          );
          const text =
            [
              generated.columns.join(','),
              ...rows.map((row) => generated.columns.map((column) => csvCell(row[column]!)).join(',')),
            ].join(generated.lineEnd) + generated.lineEnd;
          let bytes = Buffer.from(text);
          if (generated.damage === 'bom') bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
          if (generated.damage === 'latin1')
            bytes = Buffer.concat([
              bytes,
              Buffer.from('S-9,,,I-99,other,,,,,,,,\n', 'latin1'),
              Buffer.from([0xe9, 0x0a]),
            ]);
          if (generated.damage === 'stray-byte')
            bytes = Buffer.concat([
              bytes.subarray(0, bytes.length >> 1),
              Buffer.from([0xff]),
              bytes.subarray(bytes.length >> 1),
            ]);
          if (generated.damage === 'truncated') bytes = bytes.subarray(0, Math.max(1, bytes.length - 2));
          const file = path.join(folder, `import-${counts.csvFiles}.csv`);
          fs.writeFileSync(file, bytes);
          counts.requests += 1;
          try {
            await importItemsCsv(test!.db, owner, investigationId, file);
          } catch (error) {
            if (error instanceof DomainError) {
              if (keepGoing) console.log(`csv refused: ${error.message} ${JSON.stringify(error.fields).slice(0, 400)}`);
              counts.clientErrors += 1;
              return;
            }
            counts.serverErrors += 1;
            const message = `CSV import failed with an internal error: ${String(error)}\n${bytes.toString('latin1').slice(0, 600)}`;
            if (keepGoing) {
              failures.push(message);
              return;
            }
            throw new Error(message);
          }
          counts.ok += 1;
          counts.csvImported += 1;
          if (generated.damage !== 'none' && generated.damage !== 'bom') return;
          // Read every imported item back through the API and compare its texts with the cells.
          const found: string[] = [];
          for (const row of rows) {
            const ref = row.item_ref;
            if (ref === undefined || ref === '') continue;
            const item = await test!.db
              .selectFrom('items')
              .select('id')
              .where('investigation_id', '=', investigationId)
              .where('external_ref', '=', ref)
              .executeTakeFirst();
            if (item === undefined) {
              found.push(`item_ref ${JSON.stringify(ref)}: no item has it`);
              continue;
            }
            counts.readBack += 1;
            const stored = await call('GET', `/api/v1/items/${item.id}`);
            if (row.model !== undefined && row.model !== '') differences({ model: row.model }, stored, '', found);
            const site = await call('GET', `/api/v1/sites/${String(stored.site_id)}`);
            differences({ external_ref: row.site_ref, name: row.site_name || undefined }, site, 'site', found);
            if (row.marking_text !== undefined && row.marking_text !== '') {
              const markings = await call('GET', `/api/v1/items/${item.id}/markings?limit=500`);
              const storedMarkings = (markings.items as { text: string; position: string | null }[]).map((marking) => [
                marking.text,
                marking.position ?? '',
              ]);
              const sentPair = [row.marking_text, row.marking_position ?? ''];
              if (!storedMarkings.some(([text, position]) => text === sentPair[0] && position === sentPair[1])) {
                found.push(`marking: sent ${JSON.stringify(sentPair)}, stored ${JSON.stringify(storedMarkings)}`);
              }
            }
          }
          if (found.length > 0) {
            counts.altered += 1;
            const message = `CSV import stored other text than the file's: ${found.join('; ')}`;
            if (keepGoing) {
              failures.push(message);
              return;
            }
            throw new Error(message);
          }
        }),
        { seed, numRuns: csvRuns, endOnFailure: true },
      );
    } catch (error) {
      failures.push(`CSV import: ${failureText(error)}`);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }
});
