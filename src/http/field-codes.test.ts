// Every issue the create and update schemas of sites, zones, items, markings and custody can raise reaches the
// client with a stable code the web app translates, never only as zod's English text. The schemas are walked and
// probed with wrong values of every kind at every field, and each issue is mapped as src/http/problem.ts maps it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { fieldProblemCodes, GENERIC_FIELD_CODE } from '../errors.js';
import { createCustodyEventBodySchema } from '../features/custody/schema.js';
import { archiveBodySchema } from '../http/params.js';
import { createItemBodySchema, disposalBodySchema, updateItemBodySchema } from '../features/items/schema.js';
import { createMarkingBodySchema, updateMarkingBodySchema } from '../features/markings/schema.js';
import {
  createSiteBodySchema,
  createZoneBodySchema,
  updateSiteBodySchema,
  updateZoneBodySchema,
} from '../features/sites/schema.js';
import { fieldCodeOfZodIssue, toProblem } from './problem.js';

const wrongValues: unknown[] = [
  undefined,
  null,
  true,
  42,
  0,
  -1,
  1.5,
  -1e12,
  1e12,
  '',
  ' ',
  'zz',
  '1',
  '2017-13-45',
  'not-a-uuid',
  '91',
  "36°75'",
  '43°10\'44"E',
  '-36.5 S',
  '36,34,43,17',
  '36d 21m 04 s',
  '36.12345678901234567',
  'x'.repeat(100_001),
  {},
  [],
  { 'NOT A LANGUAGE': 'x' },
];

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  items?: z.ZodType[];
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/** Wrong values for this schema and, inside objects, arrays, records and unions, for each of its parts. */
function probes(schema: z.ZodType, depth = 0): unknown[] {
  const def = defOf(schema);
  if (depth > 8) return wrongValues;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return probes(def.innerType!, depth + 1);
    case 'pipe':
      return probes(def.in!, depth + 1);
    case 'object':
      return [
        ...wrongValues,
        ...Object.entries(def.shape!).flatMap(([key, child]) =>
          probes(child, depth + 1).map((probe) => ({ [key]: probe })),
        ),
      ];
    case 'array': {
      const inner = probes(def.element!, depth + 1);
      return [...wrongValues, ...inner.map((probe) => [probe]), Array<unknown>(10_001).fill(inner[0])];
    }
    case 'record':
      return [...wrongValues, ...probes(def.valueType!, depth + 1).map((probe) => ({ ar: probe }))];
    case 'union':
      return [...wrongValues, ...def.options!.flatMap((option) => probes(option, depth + 1))];
    case 'tuple':
      return [...wrongValues, def.items!.map(() => 'x'), ...def.items!.flatMap((item) => probes(item, depth + 1))];
    default:
      return wrongValues;
  }
}

/** A valid body of each schema: probes are laid over it, so the refinements of the whole body run too. */
const schemas: [name: string, schema: z.ZodType, valid: Record<string, unknown>][] = [
  ['create site', createSiteBodySchema, { site_type: 'cache', name: 'Cellar', latitude: 36.3, longitude: 43.1 }],
  ['update site', updateSiteBodySchema, { version: 1 }],
  ['create zone', createZoneBodySchema, { name: 'Rocket area' }],
  ['update zone', updateZoneBodySchema, { version: 1 }],
  ['create item', createItemBodySchema, { site_id: uuidv7(), category: 'small_arm' }],
  ['update item', updateItemBodySchema, { version: 1 }],
  ['change disposal', disposalBodySchema, { version: 1, disposal_status: 'destroyed' }],
  ['create marking', createMarkingBodySchema, { kind: 'serial', text: 'AK 104512' }],
  ['update marking', updateMarkingBodySchema, { version: 1 }],
  ['record custody', createCustodyEventBodySchema, { from_party: 'Team 2', to_party: 'Store' }],
  ['archive', archiveBodySchema, { version: 1, reason: 'recorded twice' }],
];

const known = new Set<string>(fieldProblemCodes);

describe('every field issue of the create and update schemas has a stable code', () => {
  for (const [name, schema, valid] of schemas) {
    it(name, () => {
      assert.equal(schema.safeParse(valid).success, true, `${name}: the valid body is valid`);
      const seen = new Map<string, string>();
      const probesOfBody = probes(schema).map((probe) =>
        typeof probe === 'object' && probe !== null && !Array.isArray(probe) ? { ...valid, ...probe } : probe,
      );
      for (const probe of [...probes(schema), ...probesOfBody]) {
        const result = schema.safeParse(probe);
        if (result.success) continue;
        const problem = toProblem(result.error);
        for (const field of problem.fields ?? []) {
          assert.notEqual(field.code, GENERIC_FIELD_CODE, `${name}: ${field.field}: "${field.message}" has no code`);
          assert.ok(known.has(field.code), `${name}: ${field.field}: unknown code ${field.code}`);
          seen.set(field.code, field.message);
        }
      }
      assert.ok(seen.has('required') || name.startsWith('update'), `${name}: ${[...seen.keys()].join(', ')}`);
      assert.ok(seen.size >= 3, `${name}: the walk raised issues (${[...seen.keys()].join(', ')})`);
    });
  }

  it('raises the coordinate codes for site coordinates typed wrong', () => {
    const codes = new Set<string>();
    for (const latitude of wrongValues) {
      const result = createSiteBodySchema.safeParse({ site_type: 'cache', name: 'x', latitude, longitude: 43 });
      for (const field of result.success ? [] : (toProblem(result.error).fields ?? [])) codes.add(field.code);
    }
    for (const code of [
      'coordinate_out_of_range',
      'coordinate_minutes_too_large',
      'coordinate_hemisphere_mismatch',
      'coordinate_sign_and_hemisphere',
      'coordinate_unreadable',
      'coordinate_empty',
      'coordinate_ambiguous',
      'coordinate_too_precise',
      'invalid_type',
    ]) {
      assert.ok(codes.has(code), `${code} in ${[...codes].join(', ')}`);
    }
  });
});

describe('fieldCodeOfZodIssue', () => {
  const cases: [Parameters<typeof fieldCodeOfZodIssue>[0], ReturnType<typeof fieldCodeOfZodIssue>][] = [
    [
      {
        code: 'invalid_type',
        expected: 'string',
        path: [],
        message: 'Invalid input: expected string, received undefined',
      },
      { code: 'required' },
    ],
    [{ code: 'invalid_type', expected: 'int', path: [], message: '' }, { code: 'not_whole' }],
    [{ code: 'invalid_type', expected: 'number', path: [], message: '' }, { code: 'not_a_number' }],
    [
      { code: 'too_small', origin: 'number', minimum: 1, inclusive: true, path: [], message: '' },
      { code: 'too_small', params: { minimum: 1 } },
    ],
    [
      { code: 'too_small', origin: 'number', minimum: 0, inclusive: false, path: [], message: '' },
      { code: 'must_exceed', params: { minimum: 0 } },
    ],
    [
      { code: 'too_big', origin: 'string', maximum: 300, inclusive: true, path: [], message: '' },
      { code: 'too_long', params: { maximum: 300 } },
    ],
    [{ code: 'too_small', origin: 'string', minimum: 1, inclusive: true, path: [], message: '' }, { code: 'required' }],
    [
      { code: 'too_big', origin: 'array', maximum: 500, inclusive: true, path: [], message: '' },
      { code: 'too_many', params: { maximum: 500 } },
    ],
    [
      { code: 'invalid_value', values: ['small_arm', 'rocket'], path: [], message: '' },
      { code: 'invalid_option', params: { options: 'small_arm|rocket' } },
    ],
    [{ code: 'invalid_format', format: 'date', path: [], message: '' }, { code: 'invalid_date' }],
    [{ code: 'custom', params: { code: 'ring_not_closed' }, path: [], message: '' }, { code: 'ring_not_closed' }],
    [
      { code: 'custom', params: { code: 'coordinate_out_of_range', limit: 90 }, path: [], message: '' },
      { code: 'coordinate_out_of_range', params: { limit: 90 } },
    ],
    [{ code: 'custom', path: [], message: 'no code given' }, { code: GENERIC_FIELD_CODE }],
  ];
  for (const [issue, expected] of cases) {
    it(`${issue.code} ${JSON.stringify(expected)}`, () => assert.deepEqual(fieldCodeOfZodIssue(issue), expected));
  }
});
