/**
 * Issue 13, item 1 in a browser: the review queue ("awaiting my review") of an investigation in English (1280 px)
 * and Arabic (360 px), keyboard first: filter by kind, verify in place; the review panel on a site page shows who
 * verified it and offers the author no verification. The database is checked after each action; axe runs on each
 * screen in both languages at both widths.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { submitRecord } from '../../src/features/review/service.js';
import { createTestItem, createTestSite } from '../../src/testing/records.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const screenshots = '/tmp/review-e2e';

describe('review queue in the web app', () => {
  let web: WebHarness;
  let lead: Actor;
  let field: Actor;
  let checker: Actor;
  let investigationId: string;
  let siteId: string;
  let itemId: string;

  const queuePath = () => `${web.baseUrl}/investigations/${investigationId}/review`;

  async function reviewOf(table: 'sites' | 'items', id: string) {
    return web.db
      .selectFrom(table)
      .select(['review_state', 'verified_by', 'verified_version', 'published_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }

  /** Polls from the test (the app's CSP refuses a condition evaluated from a string in the page). */
  async function waitForRows(page: Page, count: number): Promise<void> {
    const rows = page.locator('main table tbody tr');
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if ((await rows.count()) === count) return;
      await page.waitForTimeout(100);
    }
    assert.equal(await rows.count(), count);
  }

  /** Moves the keyboard focus to `target` with Tab only, from the start of the page. */
  async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
    await page.locator('body').focus();
    for (let presses = 0; presses < 80; presses += 1) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((element) => element === element.ownerDocument.activeElement)) return;
    }
    assert.fail('the control cannot be reached with the Tab key');
  }

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    web = await startWebHarness();
    lead = await createTestUser(web.db, 'lead');
    field = await createTestUser(web.db, 'field');
    checker = await createTestUser(web.db, 'checker');
    investigationId = (await createInvestigation(web.db, lead, { title: 'Northern caches' })).id;
    await addMember(web.db, lead, investigationId, { username: 'field', role: 'investigator' });
    await addMember(web.db, lead, investigationId, { username: 'checker', role: 'editor' });
    siteId = await createTestSite(web.db, field, investigationId, { name: 'Depot 4' });
    itemId = await createTestItem(web.db, field, investigationId, { siteId, category: 'fuze', externalRef: 'F-01' });
    // Records made this way start as drafts; the author submits them.
    await submitRecord(web.db, field, 'site', siteId, { version: 1 });
    await submitRecord(web.db, field, 'item', itemId, { version: 1 });
  });
  after(async () => {
    await web.close();
  });

  it('verifies an item from the queue with the keyboard, filtered by kind (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'checker');
    await page.goto(queuePath());
    await page.getByRole('heading', { name: 'Awaiting my review' }).waitFor();
    await waitForRows(page, 2);
    await expectNoSeriousAxeViolations(page, 'review queue, en, 1280 px');

    const kind = page.getByLabel('Kind of record');
    await tabTo(page, kind);
    await kind.selectOption('item');
    await waitForRows(page, 1);
    const verify = page.getByRole('button', { name: /Verify version 1/ });
    await tabTo(page, verify);
    await page.keyboard.press('Enter');
    await page.getByText('Verified', { exact: true }).waitFor();

    const item = await reviewOf('items', itemId);
    assert.equal(item.review_state, 'verified');
    assert.equal(item.verified_by, checker.userId);
    assert.equal(item.verified_version, 1);
    assert.equal((await reviewOf('sites', siteId)).review_state, 'submitted', 'the filter left the site alone');
    const audited = await web.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'review.verify')
      .where('entity_id', '=', itemId)
      .executeTakeFirstOrThrow();
    assert.equal(audited.actor_id, checker.userId);

    const narrow = await web.newPage({ locale: 'en', width: 360 });
    await web.signIn(narrow, 'checker');
    await narrow.goto(queuePath());
    await waitForRows(narrow, 1);
    await expectNoSeriousAxeViolations(narrow, 'review queue, en, 360 px');
    assert.deepEqual(web.pageErrors, []);
  });

  it('verifies the site from the queue in Arabic at 360 px; the author sees the verifier and no action', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'checker');
    await page.goto(queuePath());
    await page.getByRole('heading', { name: 'بانتظار مراجعتي' }).waitFor();
    await waitForRows(page, 1);
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    await expectNoSeriousAxeViolations(page, 'review queue, ar, 360 px');
    await page.screenshot({ path: `${screenshots}/review-queue-ar-360.png`, fullPage: true });
    const verify = page.getByRole('button', { name: /تحقّق من النسخة/ });
    const box = await verify.boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 360, 'the action is on screen at 360 px');
    await tabTo(page, verify);
    await page.keyboard.press('Enter');
    await page.getByText('تم التحقق', { exact: true }).waitFor();
    const site = await reviewOf('sites', siteId);
    assert.equal(site.review_state, 'verified');
    assert.equal(site.verified_by, checker.userId);

    const wide = await web.newPage({ locale: 'ar' });
    await web.signIn(wide, 'checker');
    await wide.goto(queuePath());
    await wide.getByText('لا شيء بانتظار مراجعتك.').waitFor();
    await expectNoSeriousAxeViolations(wide, 'review queue, ar, 1280 px');

    // The author's own site page: who verified it, and no verify or publish button for them.
    const author = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(author, 'field');
    await author.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    const panel = author.getByTestId('review-panel');
    await panel.getByTestId('review-verified').waitFor();
    assert.match(await panel.getByTestId('review-verified').innerText(), /checker/);
    assert.equal(await panel.getByRole('button').count(), 0);
    await author.screenshot({ path: `${screenshots}/site-review-ar-360.png`, fullPage: true });

    // The owner publishes it from the site page with the keyboard.
    const owner = await web.newPage({ locale: 'en' });
    await web.signIn(owner, 'lead');
    await owner.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    const publish = owner.getByTestId('review-panel').getByRole('button', { name: 'Publish' });
    await publish.focus();
    await owner.keyboard.press('Enter');
    await owner.getByTestId('review-state').getByText('Published').waitFor();
    const published = await reviewOf('sites', siteId);
    assert.equal(published.review_state, 'published');
    assert.equal(published.published_by, lead.userId);
    assert.deepEqual(web.pageErrors, []);
  });
});
