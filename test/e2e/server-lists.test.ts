/**
 * Lists read a page at a time, sorted by the server (issue 11: "each list paginated, sortable and filterable"): a
 * click on a column header (or the sort menu on a phone) asks the server for another order, kept in the URL;
 * "next" and "previous" read the neighbouring pages. Checked against the API's own order, in English at 1280 px
 * and in Arabic at 360 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createActor } from '../../src/features/actors/service.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createItem } from '../../src/features/items/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

describe('lists sorted and paginated by the server', () => {
  let web: WebHarness;
  let investigationId: string;
  let siteId: string;
  const actorNames: string[] = [];

  before(async () => {
    web = await startWebHarness();
    const owner = await createTestUser(web.db, 'lists-owner');
    investigationId = (await createInvestigation(web.db, owner, { title: 'Sorted lists' })).id;
    // 30 actors: more than one page of 25. Created out of name order, so the created order differs.
    for (let index = 0; index < 30; index += 1) {
      const name = `actor ${String((index * 7) % 30).padStart(2, '0')}`;
      actorNames.push(name);
      await createActor(web.db, owner, investigationId, { actor_type: 'company', name });
    }
    siteId = (await createSite(web.db, owner, investigationId, { site_type: 'cache', name: 'Cellar', names: {} })).id;
    for (const [model, quantity] of [
      ['mk2', 5],
      ['mk1', 12],
      ['mk3', 1],
    ] as const) {
      await createItem(web.db, owner, investigationId, { site_id: siteId, category: 'rocket', model, quantity });
    }
  });
  after(() => web.close());

  const firstColumn = (page: Page) => page.locator('table tbody tr th').allInnerTexts();

  it('sorts actors by a column header and pages through them (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en', width: 1280 });
    await web.signIn(page, 'lists-owner');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/actors`);
    await page.locator('table tbody tr').first().waitFor();
    const sorted = [...actorNames].sort();
    assert.deepEqual(await firstColumn(page), sorted.slice(0, 25), 'by name, the first page');
    // Keyboard: the header's button, then Enter: the other direction, asked of the server and kept in the URL.
    await page.getByRole('button', { name: en['actors.name'] }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sort=name&order=desc/);
    const descending = [...sorted].reverse();
    await page.locator('table tbody tr th').first().filter({ hasText: descending[0]! }).waitFor();
    assert.deepEqual(await firstColumn(page), descending.slice(0, 25));
    assert.equal(await page.locator('th[aria-sort="descending"]').count(), 1);
    await page.getByRole('button', { name: en['inventory.next'] }).click();
    await page.locator('table tbody tr th').first().filter({ hasText: descending[25]! }).waitFor();
    assert.deepEqual(await firstColumn(page), descending.slice(25));
    assert.ok(await page.getByRole('button', { name: en['inventory.next'] }).isDisabled());
    await page.getByRole('button', { name: en['inventory.previous'] }).click();
    await page.locator('table tbody tr th').first().filter({ hasText: descending[0]! }).waitFor();
    await expectNoSeriousAxeViolations(page, 'actors sorted, en, 1280 px');

    // The same order from the API: the page shows what the server sorted.
    const api = await page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/investigations/${id}/actors?sort=name&order=desc&limit=25`);
      return ((await response.json()) as { items: { name: string }[] }).items.map((actor) => actor.name);
    }, investigationId);
    assert.deepEqual(api, descending.slice(0, 25));

    // A reload keeps the sort.
    await page.reload();
    await page.locator('table tbody tr th').first().filter({ hasText: descending[0]! }).waitFor();
    assert.deepEqual(web.pageErrors, []);
  });

  it('sorts the inventory with the sort menu on a phone (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'lists-owner');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    const rows = page.locator('table.inventory-table tbody tr');
    await rows.first().waitFor();
    const menu = page.getByLabel(ar['list.sortBy'], { exact: true });
    await menu.selectOption('quantity:desc');
    await page.waitForURL(/sort=quantity&order=desc/);
    await rows.first().filter({ hasText: 'mk1' }).waitFor();
    const models = (await rows.allInnerTexts()).map((text) => /mk\d/.exec(text)?.[0]);
    assert.deepEqual(models, ['mk1', 'mk2', 'mk3']);
    const server = await web.db
      .selectFrom('items')
      .select('model')
      .where('site_id', '=', siteId)
      .orderBy('quantity', 'desc')
      .execute();
    assert.deepEqual(
      server.map((row) => row.model),
      ['mk1', 'mk2', 'mk3'],
    );
    await expectNoSeriousAxeViolations(page, 'inventory sorted, ar, 360 px');
    await page.screenshot({ path: '/tmp/lists/inventory-sorted-ar-360.png', fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });
});
