// The verify screen runs verify as a job (issue 16, item 3; POST /audit/verify-jobs, the job of `armtrace job
// verify`): started from the keyboard, its progress a progress bar up to 100 %, then the result (the chain whole,
// records, originals and timestamps checked), kept across a reload (GET /jobs?name=audit.verify). A run that
// failed shows its problem in the user's language and "try again", which runs it again. Arabic at 360 px, with
// axe-core; the server's queue is in-process on PGlite and pg-boss with DATABASE_URL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadExampleInvestigation } from '../../src/features/demo/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const shots = '/tmp/shots-verify';
const width = 360;
let web: WebHarness;
let chiefId: string;

before(async () => {
  web = await startWebHarness({ jobs: true });
  fs.mkdirSync(shots, { recursive: true });
  const chief = await createTestUser(web.db, 'chief', true);
  chiefId = chief.userId;
  await loadExampleInvestigation(web.db, chief);
});
after(() => web.close());

async function openVerify(page: Page): Promise<void> {
  await page.goto(`${web.baseUrl}/verify`);
  await page.getByRole('heading', { level: 1, name: ar['transfer.verify.title'] }).waitFor();
  await page.getByRole('button', { name: ar['transfer.verify.run'], exact: true }).waitFor();
  await page.locator('p[role="status"]', { hasText: ar['common.loading'] }).waitFor({ state: 'detached' });
}

/** Presses a button from the keyboard: focus, then Enter. */
async function press(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  await button.focus();
  await page.keyboard.press('Enter');
}

/** Follows the progress bar until it is full: a whole per cent whenever it has a value. */
async function followToTheEnd(page: Page, shot: string): Promise<void> {
  const bar = page.getByRole('progressbar', { name: ar['transfer.verify.progressLabel'] });
  await bar.waitFor();
  // As it is first seen (waiting or at work, unless verify was quicker than the screenshot), to look at.
  await page.screenshot({ path: `${shots}/${shot}`, fullPage: true });
  for (;;) {
    const value = await bar.getAttribute('aria-valuenow');
    if (value !== null) assert.match(value, /^\d{1,3}$/);
    if (value === '100') break;
    await page.waitForTimeout(100);
  }
  assert.equal(await bar.getAttribute('aria-valuemin'), '0');
  assert.equal(await bar.getAttribute('aria-valuemax'), '100');
}

async function expectResult(page: Page): Promise<void> {
  await page.getByRole('heading', { level: 2, name: ar['transfer.verify.resultTitle'] }).waitFor();
  await page.getByText(ar['transfer.verify.ok']).waitFor();
  await page.getByText(ar['transfer.verify.state.succeeded'], { exact: true }).waitFor();
  const checked = (await page.locator('dl.details').last().textContent()) ?? '';
  assert.ok(checked.includes(ar['transfer.verify.checked']), checked);
}

async function expectFitsTheScreen(page: Page): Promise<void> {
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  const scrollWidth = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
        .scrollWidth,
  );
  assert.ok(scrollWidth <= width, `no sideways scrolling at ${width} px (${scrollWidth})`);
}

describe('the verify screen runs verify as a job', () => {
  it(`starts it from the keyboard, follows it to the result, keeps it across a reload (ar, ${width} px)`, async () => {
    const page = await web.newPage({ locale: 'ar', width });
    await web.signIn(page, 'chief');
    await openVerify(page);
    await expectNoSeriousAxeViolations(page, `verify, never run, ar, ${width} px`);
    await page.screenshot({ path: `${shots}/verify-none-ar-${width}.png`, fullPage: true });

    await press(page, ar['transfer.verify.run']);
    await followToTheEnd(page, `verify-progress-ar-${width}.png`);
    await expectResult(page);
    const jobId = await page.locator('.verify-job').getAttribute('data-job-id');
    assert.ok(jobId !== null);
    const job = await web.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    assert.equal(job.name, 'audit.verify');
    assert.equal(job.state, 'succeeded');
    await expectFitsTheScreen(page);
    await expectNoSeriousAxeViolations(page, `verify, result, ar, ${width} px`);
    await page.screenshot({ path: `${shots}/verify-result-ar-${width}.png`, fullPage: true });

    // A reload: the same run and its result, from the server's list of jobs.
    await page.reload();
    await openVerify(page);
    await expectResult(page);
    assert.equal(await page.locator('.verify-job').getAttribute('data-job-id'), jobId);
    assert.equal(
      await page.getByRole('progressbar', { name: ar['transfer.verify.progressLabel'] }).getAttribute('aria-valuenow'),
      '100',
    );
    assert.deepEqual(web.pageErrors, []);
    await page.context().close();
  });

  it(`shows a run that failed in Arabic, with "try again", which runs it again (ar, ${width} px)`, async () => {
    // The latest run failed (say the evidence store could not be read on its last try).
    const failed = await web.db
      .insertInto('jobs')
      .values({
        id: '0d5a3c7e-2f1b-4c8e-9a6d-1b2c3d4e5f60',
        name: 'audit.verify',
        payload: JSON.stringify({}),
        created_by: chiefId,
        state: 'failed',
        attempts: 3,
        max_attempts: 3,
        problem_code: 'internal',
        problem_detail: 'The evidence store could not be read.',
        started_at: new Date(),
        finished_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const page = await web.newPage({ locale: 'ar', width });
    await web.signIn(page, 'chief');
    await openVerify(page);
    assert.equal(await page.locator('.verify-job').getAttribute('data-job-id'), failed.id);
    const alert = page.getByRole('alert');
    await alert.getByText(ar['error.generic']).waitFor();
    await alert.getByText('The evidence store could not be read.').waitFor();
    await page.getByText(ar['transfer.verify.state.failed'], { exact: true }).waitFor();
    assert.equal(await page.getByRole('progressbar').count(), 0);
    assert.equal(await page.getByRole('heading', { name: ar['transfer.verify.resultTitle'] }).count(), 0);
    await expectFitsTheScreen(page);
    await expectNoSeriousAxeViolations(page, `verify, failed, ar, ${width} px`);
    await page.screenshot({ path: `${shots}/verify-failed-ar-${width}.png`, fullPage: true });

    await press(page, ar['transfer.verify.retry']);
    await followToTheEnd(page, `verify-retry-progress-ar-${width}.png`);
    await expectResult(page);
    assert.notEqual(await page.locator('.verify-job').getAttribute('data-job-id'), failed.id);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.deepEqual(web.pageErrors, []);
    await page.context().close();
  });
});
