// Server-side sorting of every list the web app shows: each sort key orders the rows (ties by id, in the same
// direction), pages of two follow on from each other without a row twice or missing, and an unknown key is a 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../testing/test-database.js';
import { createActor } from './actors/service.js';

interface Listed {
  id: string;
  [field: string]: unknown;
}

/** Every row of a list, read two at a time with `sort` and `order`. */
async function readSorted(world: TestWorld, url: string, sort: string, order: 'asc' | 'desc'): Promise<Listed[]> {
  const cookie = await world.cookieFor('admin');
  const rows: Listed[] = [];
  let afterId: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const separator = url.includes('?') ? '&' : '?';
    const query = `${separator}limit=2&sort=${sort}&order=${order}${afterId === null ? '' : `&after=${afterId}`}`;
    const response = await world.app.inject({ method: 'GET', url: `${url}${query}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    const page = response.json<{ items: Listed[]; next_after: string | null }>();
    rows.push(...page.items);
    if (page.next_after === null) return rows;
    afterId = page.next_after;
  }
  throw new Error(`${url} did not end after 100 pages`);
}

type SortValue = string | number | boolean | null;

/** Compares like the server: values (nulls last when ascending), then ids. */
function expectedOrder(rows: Listed[], value: (row: Listed) => SortValue, order: 'asc' | 'desc'): string[] {
  const rank = (v: SortValue): [number, SortValue] => (v === null ? [1, ''] : [0, v]);
  const sorted = [...rows].sort((a, b) => {
    const [nullA, valueA] = rank(value(a));
    const [nullB, valueB] = rank(value(b));
    const byValue =
      nullA !== nullB
        ? nullA - nullB
        : valueA === valueB
          ? 0
          : (valueA as string | number) < (valueB as string | number)
            ? -1
            : 1;
    return byValue !== 0 ? byValue : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  const ids = sorted.map((row) => row.id);
  return order === 'asc' ? ids : ids.reverse();
}

/** Checks one sort key of a list in both directions against `value` of each row. */
async function checkSortKey(
  world: TestWorld,
  url: string,
  sort: string,
  value: (row: Listed) => SortValue,
): Promise<void> {
  for (const order of ['asc', 'desc'] as const) {
    const rows = await readSorted(world, url, sort, order);
    const ids = rows.map((row) => row.id);
    assert.equal(new Set(ids).size, ids.length, `${url} sort=${sort} ${order}: a row came twice`);
    assert.deepEqual(ids, expectedOrder(rows, value, order), `${url} sort=${sort} ${order}`);
  }
}

/** An unknown sort key and an unknown order are refused with a problem naming the parameter. */
async function checkBadSort(world: TestWorld, url: string): Promise<void> {
  const cookie = await world.cookieFor('admin');
  const separator = url.includes('?') ? '&' : '?';
  for (const [query, field] of [
    ['sort=password_hash', 'sort'],
    ['order=sideways', 'order'],
  ] as const) {
    const response = await world.app.inject({ method: 'GET', url: `${url}${separator}${query}`, headers: { cookie } });
    assert.equal(response.statusCode, 400, response.body);
    const problem = response.json<{ code: string; fields: { field: string; message: string }[] }>();
    assert.equal(problem.code, 'validation_failed');
    assert.ok(
      problem.fields.some((entry) => entry.field === `querystring.${field}`),
      `${url}: the problem names ${field}: ${response.body}`,
    );
  }
}

const lower = (field: string) => (row: Listed) => String(row[field]).toLowerCase();
const plain = (field: string) => (row: Listed) => row[field] as SortValue;
const archived = (row: Listed) => row['archived_at'] !== null;

describe('sorted lists', () => {
  let world: TestWorld;
  before(async () => {
    world = await createTestWorld();
  });
  after(async () => {
    await world.close();
  });

  it('sorts actors by every key, ties by id, across pages', async () => {
    for (const [name, actorType, country] of [
      ['bravo', 'company', 'de'],
      ['alpha', 'state', null],
      ['bravo', 'company', 'fr'],
      ['charlie', 'armed_group', 'de'],
      ['delta', 'state', null],
    ] as const) {
      await createActor(world.db, world.owner, world.investigationId, {
        name,
        actor_type: actorType,
        ...(country === null ? {} : { country_code: country }),
      });
    }
    const url = `/api/v1/investigations/${world.investigationId}/actors`;
    await checkSortKey(world, url, 'created', () => 0);
    await checkSortKey(world, url, 'name', lower('name'));
    await checkSortKey(world, url, 'actor_type', plain('actor_type'));
    await checkSortKey(world, url, 'country_code', plain('country_code'));
    await checkSortKey(world, `${url}?include_archived=true`, 'archived', archived);
    await checkBadSort(world, url);
  });
});
