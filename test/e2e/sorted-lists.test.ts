/**
 * Issue 11: the members list, the API tokens list and the audit log are sorted by the server. A click on a column
 * header (or the sort menu, on a phone) reads the list again in that order from the server; the order shown is
 * checked against the database. English at 1280 px and Arabic at 360 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { createApiToken } from '../../src/features/users/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

describe('server-sorted people lists and audit log in the browser', () => {
  let web: WebHarness;
  let curator: Actor;
  let investigationId: string;

  /** The texts of the row headers (first cells), once they are `expected` (polled: the CSP forbids eval). */
  async function waitForOrder(page: Page, rows: string, expected: readonly string[]): Promise<void> {
    const read = () => page.locator(`${rows} th[scope="row"] bdi`).allTextContents();
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (JSON.stringify(await read()) === JSON.stringify(expected)) return;
      await page.waitForTimeout(100);
    }
    assert.deepEqual(await read(), expected);
  }

  before(async () => {
    web = await startWebHarness();
    curator = await createTestUser(web.db, 'curator');
    investigationId = (await createInvestigation(web.db, curator, { title: 'Archive' })).id;
    for (const [username, role] of [
      ['yasmin', 'viewer'],
      ['basel', 'editor'],
      ['mona', 'investigator'],
    ] as const) {
      await createTestUser(web.db, username);
      await addMember(web.db, curator, investigationId, { username, role });
    }
    for (const name of ['beta', 'alpha', 'gamma']) {
      await createApiToken(web.db, curator, { name, scope: 'read' }, 30);
    }
  });
  after(async () => {
    await web.close();
  });

  it('sorts members by role and name from the column headers (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'curator');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/members`);
    await waitForOrder(page, '#members tbody', ['basel', 'curator', 'mona', 'yasmin']);
    await page.locator('#members thead').getByRole('button', { name: 'Role' }).click();
    await page.waitForURL(/sort=role&order=asc/);
    await waitForOrder(page, '#members tbody', ['curator', 'basel', 'mona', 'yasmin']);
    await page.locator('#members thead').getByRole('button', { name: 'User name' }).click();
    await page.locator('#members thead').getByRole('button', { name: 'User name' }).click();
    await page.waitForURL(/sort=username&order=desc/);
    await waitForOrder(page, '#members tbody', ['yasmin', 'mona', 'curator', 'basel']);
    assert.equal(await page.locator('#members thead th[aria-sort="descending"]').textContent(), 'User name▼');
    await expectNoSeriousAxeViolations(page, 'members sorted, en, 1280 px');
    assert.deepEqual(web.pageErrors, []);
  });

  it('sorts tokens by name with the sort menu, and the audit log by action (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'curator');
    await page.goto(`${web.baseUrl}/settings`);
    await waitForOrder(page, '#tokens tbody', ['gamma', 'alpha', 'beta']);
    await page.locator('#tokens .sort-menu').selectOption('name:asc');
    await waitForOrder(page, '#tokens tbody', ['alpha', 'beta', 'gamma']);
    await expectNoSeriousAxeViolations(page, 'tokens sorted, ar, 360 px');

    await page.goto(`${web.baseUrl}/investigations/${investigationId}/audit`);
    await page.locator('table tbody tr').first().waitFor();
    await page.locator('.sort-menu').selectOption('action:asc');
    await page.waitForURL(/sort=action&order=asc/);
    // Positions count the investigation's entries in order; sorted by action, ties by position.
    const history = await web.db
      .selectFrom('audit_log')
      .select(['seq', 'action'])
      .where('investigation_id', '=', investigationId)
      .orderBy('seq')
      .execute();
    const expected = history
      .map((entry, index) => ({ action: entry.action, position: index + 1 }))
      .sort((a, b) => (a.action === b.action ? a.position - b.position : a.action < b.action ? -1 : 1))
      .map((entry) => String(entry.position));
    assert.ok(expected.length >= 4);
    const westernDigits = (text: string) => text.replace(/[٠-٩]/gu, (digit) => String(digit.charCodeAt(0) - 0x0660));
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const shown = (await page.locator('table tbody th[scope="row"]').allTextContents()).map(westernDigits);
      if (JSON.stringify(shown) === JSON.stringify(expected) || attempt === 99) {
        assert.deepEqual(shown, expected);
        break;
      }
      await page.waitForTimeout(100);
    }
    assert.equal(await page.locator('table thead th[aria-sort="ascending"]').count(), 1);
    await expectNoSeriousAxeViolations(page, 'audit log sorted by action, ar, 360 px');
    await page.screenshot({ path: '/tmp/web/audit-sorted-ar-360.png', fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });
});
