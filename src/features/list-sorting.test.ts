// Server-side sorting of every list the web app shows: each sort key orders the rows (ties by id, in the same
// direction), pages of two follow on from each other without a row twice or missing, and an unknown key is a 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../testing/test-database.js';
import { archiveActor, createActor } from './actors/service.js';
import { createIncident, linkIncidentItem } from './incidents/service.js';
import { createItem } from './items/service.js';
import { createSite } from './sites/service.js';
import { createSource } from './sources/service.js';
import { traceRequestStatuses } from './trace-requests/schema.js';
import { createTraceRequest } from './trace-requests/service.js';
import { createTestUser } from '../testing/test-database.js';

type Field = string | number | boolean | null | string[];

interface Listed {
  id: string;
  [field: string]: Field;
}

async function readPage(
  world: TestWorld,
  url: string,
  cookie: string,
): Promise<{ items: Listed[]; next_after: string | null }> {
  const response = await world.app.inject({ method: 'GET', url, headers: { cookie } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** Every row of a list, read two at a time with `sort` and `order`. */
async function readSorted(world: TestWorld, url: string, sort: string, order: 'asc' | 'desc'): Promise<Listed[]> {
  const cookie = await world.cookieFor('admin');
  const rows: Listed[] = [];
  let afterId: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const separator = url.includes('?') ? '&' : '?';
    const query = `${separator}limit=2&sort=${sort}&order=${order}${afterId === null ? '' : `&after=${afterId}`}`;
    const page = await readPage(world, `${url}${query}`, cookie);
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
    const ids: string[] = [];
    for (const [name, actorType, country] of [
      ['bravo', 'company', 'de'],
      ['alpha', 'state', null],
      ['bravo', 'company', 'fr'],
      ['charlie', 'armed_group', 'de'],
      ['delta', 'state', null],
    ] as const) {
      const actor = await createActor(world.db, world.owner, world.investigationId, {
        name,
        actor_type: actorType,
        ...(country === null ? {} : { country_code: country }),
      });
      ids.push(actor.id);
    }
    await archiveActor(world.db, world.owner, ids[4]!, { version: 1, reason: 'Duplicate' });
    const url = `/api/v1/investigations/${world.investigationId}/actors`;
    await checkSortKey(world, url, 'created', () => 0);
    await checkSortKey(world, url, 'name', lower('name'));
    await checkSortKey(world, url, 'actor_type', plain('actor_type'));
    await checkSortKey(world, url, 'country_code', plain('country_code'));
    await checkSortKey(world, `${url}?include_archived=true`, 'archived', archived);
    await checkBadSort(world, url);
  });

  it('sorts sources by every key, ties by id, across pages', async () => {
    for (const [title, kind, reliability, credibility, credit, published] of [
      ['bravo', 'interview', 'B', 2, 'credit one', '2020-01-02'],
      ['alpha', 'media_report', null, null, null, null],
      ['bravo', 'interview', 'A', 3, 'credit one', '2020-01-02'],
      ['charlie', 'other', 'B', 1, null, '2019-05-05'],
      ['delta', 'media_report', 'A', null, 'another', null],
    ] as const) {
      await createSource(world.db, world.owner, world.investigationId, {
        title,
        kind,
        ...(reliability === null ? {} : { reliability }),
        ...(credibility === null ? {} : { credibility }),
        ...(credit === null ? {} : { credit_line: credit }),
        ...(published === null ? {} : { published_on: published }),
      });
    }
    const url = `/api/v1/investigations/${world.investigationId}/sources`;
    const nullable = (value: Field | undefined) => (value === null || value === undefined ? '1' : `0${String(value)}`);
    await checkSortKey(world, url, 'created', () => 0);
    await checkSortKey(world, url, 'title', lower('title'));
    await checkSortKey(
      world,
      url,
      'grading',
      (row) => `${nullable(row['reliability'])}|${nullable(row['credibility'])}`,
    );
    await checkSortKey(world, url, 'kind', plain('kind'));
    await checkSortKey(world, url, 'credit_line', (row) =>
      row['credit_line'] === null ? null : lower('credit_line')(row),
    );
    await checkSortKey(world, url, 'published_on', plain('published_on'));
    await checkSortKey(world, `${url}?include_archived=true`, 'archived', archived);
    await checkBadSort(world, url);
  });

  it('sorts items and incidents by every key, ties by id, across pages', async () => {
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'cellar' });
    const itemIds: string[] = [];
    for (const [ref, category, model, quantity, condition] of [
      ['b-2', 'rocket', 'mk1', 3, 'good'],
      [null, 'small_arm', null, 1, null],
      [null, 'rocket', 'mk1', 3, 'good'],
      ['a-1', 'fuze', 'zeta', 10, 'damaged'],
      ['c-3', 'small_arm', 'alpha', 1, null],
    ] as const) {
      const item = await createItem(world.db, world.owner, world.investigationId, {
        site_id: site.id,
        category,
        quantity,
        ...(ref === null ? {} : { external_ref: ref }),
        ...(model === null ? {} : { model }),
        ...(condition === null ? {} : { condition }),
      });
      itemIds.push(item.id);
    }
    const items = `/api/v1/investigations/${world.investigationId}/items?site_id=${site.id}`;
    const lowerOrNull = (field: string) => (row: Listed) => (row[field] === null ? null : lower(field)(row));
    await checkSortKey(world, items, 'created', () => 0);
    await checkSortKey(world, items, 'external_ref', lowerOrNull('external_ref'));
    await checkSortKey(world, items, 'category', plain('category'));
    await checkSortKey(world, items, 'model', lowerOrNull('model'));
    await checkSortKey(world, items, 'quantity', plain('quantity'));
    await checkSortKey(world, items, 'condition', plain('condition'));
    await checkSortKey(world, items, 'production_type', plain('production_type'));
    await checkSortKey(world, items, 'fuze_fitted', plain('fuze_fitted'));
    await checkSortKey(world, items, 'disposal_status', plain('disposal_status'));
    await checkBadSort(world, items);

    for (const [title, incidentType, occurred, killed, injured, linked] of [
      ['bravo', 'attack', '2021-03-01', 2, null, 2],
      ['alpha', 'accident', null, null, 1, 0],
      ['bravo', 'attack', '2021-03-01', 2, 4, 1],
      ['charlie', 'seizure', '2020-01-01', 0, 0, 2],
    ] as const) {
      const incident = await createIncident(world.db, world.owner, world.investigationId, {
        title,
        incident_type: incidentType,
        ...(occurred === null ? {} : { occurred_on: occurred }),
        ...(killed === null ? {} : { killed }),
        ...(injured === null ? {} : { injured }),
      });
      for (const itemId of itemIds.slice(0, linked)) {
        await linkIncidentItem(world.db, world.owner, incident.id, { item_id: itemId });
      }
    }
    const incidents = `/api/v1/investigations/${world.investigationId}/incidents`;
    await checkSortKey(world, incidents, 'created', () => 0);
    await checkSortKey(world, incidents, 'title', lower('title'));
    await checkSortKey(world, incidents, 'incident_type', plain('incident_type'));
    await checkSortKey(world, incidents, 'occurred_on', plain('occurred_on'));
    await checkSortKey(world, incidents, 'killed', plain('killed'));
    await checkSortKey(world, incidents, 'injured', plain('injured'));
    await checkSortKey(world, incidents, 'items', (row) => (row['item_ids'] as string[]).length);
    await checkBadSort(world, incidents);
  });

  it('sorts trace requests by every key, ties by id, across pages', async () => {
    const addressees = await Promise.all(
      ['zulu works', 'alpha state'].map((name) =>
        createActor(world.db, world.owner, world.investigationId, { name, actor_type: 'company' }),
      ),
    );
    for (const [subject, addressee, status, sent, due] of [
      ['bravo', 0, 'sent', '2020-01-01', '2020-02-01'],
      ['alpha', 1, 'draft', null, null],
      ['bravo', 0, 'sent', '2020-01-01', '2020-02-01'],
      ['charlie', 1, 'answered', '2021-01-01', '2021-02-01'],
      ['delta', 0, 'sent', '2022-01-01', '2999-01-01'],
    ] as const) {
      await createTraceRequest(world.db, world.owner, world.investigationId, {
        addressee_id: addressees[addressee]!.id,
        subject,
        status,
        ...(sent === null ? {} : { sent_on: sent }),
        ...(due === null ? {} : { due_on: due }),
      });
    }
    const url = `/api/v1/investigations/${world.investigationId}/trace-requests`;
    await checkSortKey(world, url, 'created', () => 0);
    await checkSortKey(
      world,
      url,
      'overdue',
      (row) => `${row['overdue'] === true ? 0 : 1}|${String(row['due_on'] ?? '9999-12-31')}`,
    );
    await checkSortKey(world, url, 'subject', lower('subject'));
    await checkSortKey(world, url, 'addressee', lower('addressee_name'));
    await checkSortKey(world, url, 'status', (row) => traceRequestStatuses.indexOf(row['status'] as 'draft'));
    await checkSortKey(world, url, 'age', (row) => String(row['sent_on'] ?? String(row['created_at']).slice(0, 10)));
    await checkSortKey(world, url, 'due', plain('due_on'));
    const overdueFirst = await readSorted(world, url, 'overdue', 'asc');
    assert.deepEqual(
      overdueFirst.slice(0, 2).map((row) => row['subject']),
      ['bravo', 'bravo'],
      'the two overdue requests come first',
    );
    await checkBadSort(world, url);
  });

  it('sorts users by every key, ties by id, across pages', async () => {
    for (const name of ['yankee', 'bravo', 'xray']) await createTestUser(world.db, name, name === 'xray');
    const url = '/api/v1/users';
    await checkSortKey(world, url, 'created', () => 0);
    await checkSortKey(world, url, 'username', lower('username'));
    await checkSortKey(world, url, 'display_name', lower('display_name'));
    await checkSortKey(world, url, 'is_admin', plain('is_admin'));
    await checkBadSort(world, url);
  });
});
