/**
 * Issue 13, item 1 in a browser, beyond sites and items: the review panel of a marking (verify, publish, then an
 * owner takes the publication back with a reason) in English at 1280 px, and a review step whose connection is cut
 * in Arabic at 360 px: cut before the server saw it, nothing changed and the app says so; cut after, the app says
 * the step may have reached the server and shows the state read again, never assuming. A step refused by the server
 * (someone verified it meanwhile) shows the server's problem in Arabic. The database is checked after each action.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page, Route } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { submitRecord, verifyRecord } from '../../src/features/review/service.js';
import { createTestItem, createTestSite } from '../../src/testing/records.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const screenshots = '/tmp/web/review-panels';
const arabic = JSON.parse(readFileSync(new URL('../../src/i18n/ar.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const ar = (key: string): string => {
  const message = arabic[key];
  if (message === undefined) throw new Error(`no Arabic message ${key}`);
  return message;
};

describe('review panels of markings and cut connections', () => {
  let web: WebHarness;
  let lead: Actor;
  let field: Actor;
  let other: Actor;
  let investigationId: string;
  let siteId: string;
  let itemId: string;
  let markingId: string;

  const reviewOf = (table: 'sites' | 'markings', id: string) =>
    web.db
      .selectFrom(table)
      .select(['review_state', 'verified_by', 'published_by', 'unpublished_by', 'unpublish_reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const isReviewStep = (step: string) => `**/api/v1/records/*/*/review/${step}`;

  async function waitForAlert(page: Page, testId: string): Promise<string> {
    const alert = page.getByTestId(testId);
    await alert.waitFor();
    return (await alert.textContent()) ?? '';
  }

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    web = await startWebHarness();
    lead = await createTestUser(web.db, 'lead');
    field = await createTestUser(web.db, 'field');
    other = await createTestUser(web.db, 'other');
    await createTestUser(web.db, 'checker');
    investigationId = (await createInvestigation(web.db, lead, { title: 'Southern caches' })).id;
    await addMember(web.db, lead, investigationId, { username: 'field', role: 'investigator' });
    await addMember(web.db, lead, investigationId, { username: 'checker', role: 'editor' });
    await addMember(web.db, lead, investigationId, { username: 'other', role: 'editor' });
    siteId = await createTestSite(web.db, field, investigationId, { name: 'Well house' });
    itemId = await createTestItem(web.db, field, investigationId, {
      siteId,
      category: 'fuze',
      markings: [{ text: '7-1942', kind: 'lot' }],
    });
    markingId = (
      await web.db.selectFrom('markings').select('id').where('item_id', '=', itemId).executeTakeFirstOrThrow()
    ).id;
    await submitRecord(web.db, field, 'marking', markingId, { version: 1 });
    await submitRecord(web.db, field, 'site', siteId, { version: 1 });
  });
  after(async () => {
    await web.close();
  });

  it('verifies and publishes a marking, then its owner takes the publication back with a reason (en)', async () => {
    const itemPage = `${web.baseUrl}/investigations/${investigationId}/items/${itemId}`;
    const checker = await web.newPage({ locale: 'en' });
    await web.signIn(checker, 'checker');
    await checker.goto(itemPage);
    const open = checker.getByRole('button', { name: /^Review of .7-1942.$/ });
    await open.focus();
    await checker.keyboard.press('Enter');
    const panel = checker.getByRole('region', { name: /^Review of .7-1942.$/ });
    await panel.getByTestId('review-state').getByText('Submitted for review').waitFor();
    await expectNoSeriousAxeViolations(checker, 'marking review panel, en, 1280 px');
    await panel.getByRole('button', { name: 'Verify version 1' }).click();
    await panel.getByText('Verified.').waitFor();
    assert.equal((await reviewOf('markings', markingId)).review_state, 'verified');
    await panel.getByRole('button', { name: 'Publish' }).click();
    await panel.getByText('Published.').waitFor();
    assert.equal(await panel.getByRole('button', { name: 'Take back from publication' }).count(), 0, 'editors do not');

    const owner = await web.newPage({ locale: 'en' });
    await web.signIn(owner, 'lead');
    await owner.goto(itemPage);
    await owner.getByRole('button', { name: /^Review of .7-1942.$/ }).click();
    const ownerPanel = owner.getByRole('region', { name: /^Review of .7-1942.$/ });
    await ownerPanel.getByRole('button', { name: 'Take back from publication' }).click();
    const dialog = owner.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Take back' }).click();
    await dialog.getByText('Give a reason.').waitFor();
    assert.equal((await reviewOf('markings', markingId)).review_state, 'published', 'nothing sent without a reason');
    await expectNoSeriousAxeViolations(owner, 'unpublish dialog, en, 1280 px');
    await dialog.getByLabel('Reason').fill('The lot number identifies a living informant');
    await dialog.getByRole('button', { name: 'Take back' }).click();
    await ownerPanel.getByTestId('review-unpublished').getByText('identifies a living informant').waitFor();
    await ownerPanel.getByTestId('review-state').getByText('Verified').waitFor();
    const stored = await reviewOf('markings', markingId);
    assert.equal(stored.review_state, 'verified');
    assert.equal(stored.unpublished_by, lead.userId);
    assert.equal(stored.unpublish_reason, 'The lot number identifies a living informant');
    const audited = await web.db
      .selectFrom('audit_log')
      .select('actor_id')
      .where('action', '=', 'review.unpublish')
      .where('entity_id', '=', markingId)
      .executeTakeFirstOrThrow();
    assert.equal(audited.actor_id, lead.userId);
    assert.deepEqual(web.pageErrors, []);
  });

  it('says a review step cut by the network may not have reached the server, and never assumes (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'checker');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    const panel = page.getByTestId('review-panel');
    const verify = panel.getByRole('button', { name: /تحقّق من النسخة/ });
    await verify.waitFor();
    await expectNoSeriousAxeViolations(page, 'site review panel, ar, 360 px');

    // Cut before the server saw it: nothing changed, the app says so and offers the step again.
    await page.context().route(isReviewStep('verify'), (route: Route) => route.abort('internetdisconnected'));
    await verify.focus();
    await page.keyboard.press('Enter');
    assert.equal(await waitForAlert(page, 'review-not-sent'), ar('review.notSent'));
    assert.equal((await reviewOf('sites', siteId)).review_state, 'submitted');
    await verify.waitFor();
    await page.screenshot({ path: `${screenshots}/review-not-sent-ar-360.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page, 'review step not sent, ar, 360 px');

    // Cut after the server did it (the answer lost): the app shows the state read again, not a guess.
    await page.context().unroute(isReviewStep('verify'));
    await page.context().route(isReviewStep('verify'), async (route: Route) => {
      await route.fetch();
      await route.abort('internetdisconnected');
    });
    await verify.click();
    await waitForAlert(page, 'review-not-sent');
    await panel.getByTestId('review-state').getByText(ar('review.state.verified')).waitFor();
    const site = await reviewOf('sites', siteId);
    assert.equal(site.review_state, 'verified');
    await page.context().unroute(isReviewStep('verify'));
    assert.deepEqual(web.pageErrors, []);
  });

  it('shows the server’s refusal in Arabic when the record was verified meanwhile (ar, 360 px)', async () => {
    const second = await createTestSite(web.db, field, investigationId, { name: 'Pump room' });
    await submitRecord(web.db, field, 'site', second, { version: 1 });
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'checker');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${second}`);
    const panel = page.getByTestId('review-panel');
    const verify = panel.getByRole('button', { name: /تحقّق من النسخة/ });
    await verify.waitFor();
    await verifyRecord(web.db, other, 'site', second, { version: 1 });
    await verify.click();
    await panel.getByRole('alert').getByText(ar('error.reviewStateInvalid')).waitFor();
    assert.equal((await reviewOf('sites', second)).verified_by, other.userId, 'verified once, by the other editor');
    await page.screenshot({ path: `${screenshots}/review-refused-ar-360.png`, fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });
});
