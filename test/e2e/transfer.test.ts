// Import, downloads, verify and the audit-log browser, driven in the browser
// in English and Arabic (360 px), each checked against the server's state.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createInvestigation, addMember } from '../../src/features/investigations/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const header = 'site_ref,site_name,site_type,lat,lon,item_ref,category,quantity,marking_kind,marking_text\n';
/** Line 3 has a category that does not exist. */
const csv = (site: string, first: string, second: string, secondCategory: string) =>
  `${header}${site},Depot ${site},storage_depot,36.34,43.18,${first},small_arm,1,serial,AB 123\n` +
  `${site},,,,,${second},${secondCategory},2,,\n`;

let web: WebHarness;
let investigationId: string;
let siteId: string;

const count = async (table: 'sites' | 'items' | 'markings') =>
  Number(
    (
      await web.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('investigation_id', '=', investigationId)
        .executeTakeFirstOrThrow()
    ).n,
  );

before(async () => {
  web = await startWebHarness();
  const chief = await createTestUser(web.db, 'chief', true);
  await createTestUser(web.db, 'watcher');
  investigationId = (await createInvestigation(web.db, chief, { title: 'Transfers' })).id;
  await addMember(web.db, chief, investigationId, { username: 'watcher', role: 'viewer' });
  siteId = (await createSite(web.db, chief, investigationId, { name: 'Checkpoint 4', site_type: 'cache' })).id;
});
after(() => web.close());

async function choose(page: Page, name: string, text: string): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function importFlow(page: Page, messages: typeof en, where: string, refs: [string, string, string]) {
  const [site, first, second] = refs;
  await page.goto(`${web.baseUrl}/investigations/${investigationId}/import`);
  await page.getByRole('heading', { level: 1, name: messages['transfer.import.title'] }).waitFor();
  await expectNoSeriousAxeViolations(page, `import, ${where}`);
  const itemsBefore = await count('items');
  await choose(page, 'bad.csv', csv(site, first, second, 'no_such_category'));
  // Keyboard: from the file field, Tab to "Check the file" and press Enter.
  await page.locator('input[type="file"]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const problems = page.getByRole('table', { name: messages['transfer.import.problemsCaption'] });
  await problems.waitFor();
  const row = problems.locator('tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.locator('th').innerText(), /^(3|٣)$/);
  assert.equal(await row.locator('td').first().innerText(), 'category');
  assert.ok((await row.locator('td').nth(1).innerText()).length > 0);
  await page.getByText(messages['transfer.import.nothingWritten']).waitFor();
  await expectNoSeriousAxeViolations(page, `import preview with problems, ${where}`);
  assert.equal(await count('items'), itemsBefore, 'nothing is written by a preview');
  assert.equal(await page.getByRole('button', { name: /Import|استيراد/ }).count(), 0);

  await choose(page, 'fixed.csv', csv(site, first, second, 'cartridges'));
  await page.getByRole('button', { name: messages['transfer.import.check'] }).click();
  const sites = page.getByRole('table', { name: messages['transfer.import.sitesCaption'] });
  await sites.waitFor();
  assert.equal(await count('items'), itemsBefore);
  const confirm = page.locator('section', { hasText: messages['transfer.import.confirmTitle'] }).locator('button');
  await confirm.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: messages['transfer.import.doneTitle'] }).waitFor();
  await expectNoSeriousAxeViolations(page, `import result, ${where}`);
  const summary = await page.locator('.import-summary').innerText();
  const imported = await web.db
    .selectFrom('items')
    .select('external_ref')
    .where('investigation_id', '=', investigationId)
    .where('external_ref', 'in', [first, second])
    .execute();
  assert.equal(imported.length, 2);
  assert.equal(await count('items'), itemsBefore + 2);
  return summary;
}

describe('import in the browser', () => {
  it('previews a bad file by line, writes nothing, then imports the fixed file (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'chief');
    const summary = await importFlow(page, en, 'en, 1280 px', ['S1', 'I1', 'I2']);
    assert.match(summary, /1 new site/);
    assert.match(summary, /2 new items/);
    assert.match(summary, /1 new marking/);
    assert.equal(await count('markings'), 1);
    assert.deepEqual(web.pageErrors, []);
  });

  it('does the same in Arabic at 360 px', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'chief');
    const summary = await importFlow(page, ar, 'ar, 360 px', ['S2', 'I3', 'I4']);
    assert.match(summary, /موقع جديد واحد/);
    assert.match(summary, /قطعتان جديدتان/);
    await page.screenshot({ path: '/tmp/transfer/import-ar-360.png', fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });

  it('offers no import to a viewer', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'watcher');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/import`);
    await page.getByText(en['transfer.import.notAllowed']).waitFor();
    assert.equal(await page.getByRole('link', { name: en['nav.import'], exact: true }).count(), 0);
    assert.equal(await page.getByRole('link', { name: en['nav.verify'], exact: true }).count(), 0);
  });
});

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const saved = await file.path();
  return fs.readFileSync(saved);
}

describe('downloads in the browser', () => {
  // The bag and the PDF are prepared as jobs: test/e2e/downloads-jobs.test.ts.
  it('downloads the JSON export and the HTML report', async () => {
    for (const [locale, width, messages] of [
      ['en', 1280, en],
      ['ar', 360, ar],
    ] as const) {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'watcher');
      await page.goto(`${web.baseUrl}/investigations/${investigationId}/downloads`);
      await page.getByRole('heading', { level: 1, name: messages['transfer.downloads.title'] }).waitFor();
      await expectNoSeriousAxeViolations(page, `downloads, ${locale}, ${width} px`);
      const label = (key: 'transfer.downloads.json' | 'transfer.downloads.html') =>
        messages['transfer.downloads.download'].replace('{what}', messages[key]);

      const exported = JSON.parse((await download(page, label('transfer.downloads.json'))).toString('utf8')) as {
        records: { items: unknown[] };
      };
      assert.equal(exported.records.items.length, await count('items'));

      const report = (await download(page, label('transfer.downloads.html'))).toString('utf8');
      assert.match(report, /^<!doctype html>/i);
      assert.match(report, locale === 'ar' ? /dir="rtl"/ : /lang="en"/);

      await expectNoSeriousAxeViolations(page, `downloads after, ${locale}, ${width} px`);
    }
    assert.deepEqual(web.pageErrors, []);
  });
});

describe('verify in the browser', () => {
  it('runs verify and shows the head of the chain (en 1280, ar 360)', async () => {
    const head = await web.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    for (const [locale, width, messages] of [
      ['en', 1280, en],
      ['ar', 360, ar],
    ] as const) {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'chief');
      // Administrators find verify in the navigation, with or without an investigation open.
      await page.getByRole('link', { name: messages['nav.verify'], exact: true }).click();
      await page.waitForURL(/\/verify$/);
      await page.getByRole('heading', { level: 1, name: messages['transfer.verify.title'] }).waitFor();
      await expectNoSeriousAxeViolations(page, `verify, ${locale}, ${width} px`);
      await page.getByRole('button', { name: messages['transfer.verify.run'] }).click();
      await page.getByText(messages['transfer.verify.ok']).waitFor();
      const shown = await page.locator('.details code').first().innerText();
      assert.equal(shown, head.hash);
      await expectNoSeriousAxeViolations(page, `verify result, ${locale}, ${width} px`);
      if (locale === 'ar') await page.screenshot({ path: '/tmp/transfer/verify-ar-360.png', fullPage: true });
    }
    assert.deepEqual(web.pageErrors, []);
  });
});

describe('verify for a user who is not an administrator', () => {
  it('is neither offered nor run, and the server refuses it (en 1280, ar 360)', async () => {
    const entriesBefore = await web.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    for (const [locale, width, messages] of [
      ['en', 1280, en],
      ['ar', 360, ar],
    ] as const) {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'watcher');
      await page.goto(`${web.baseUrl}/investigations/${investigationId}`);
      await page.getByRole('navigation').first().waitFor();
      assert.equal(await page.getByRole('link', { name: messages['nav.verify'], exact: true }).count(), 0);
      // Typed in by hand, the screen says who may run it and offers no button.
      await page.goto(`${web.baseUrl}/verify`);
      await page.getByText(messages['transfer.verify.adminsOnly']).waitFor();
      assert.equal(await page.getByRole('button', { name: messages['transfer.verify.run'] }).count(), 0);
      await expectNoSeriousAxeViolations(page, `verify refused, ${locale}, ${width} px`);
      // The server refuses the request itself with a problem that says why.
      const refused = await page.evaluate(async () => {
        const response = await fetch('/api/v1/audit/verify', { credentials: 'same-origin' });
        return { status: response.status, body: (await response.json()) as { code: string; detail: string } };
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'forbidden');
      assert.match(refused.body.detail, /administrator/);
      if (locale === 'ar') await page.screenshot({ path: '/tmp/transfer/verify-refused-ar-360.png', fullPage: true });
    }
    const entriesAfter = await web.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(entriesAfter.n), Number(entriesBefore.n), 'a refused verify writes nothing');
    assert.deepEqual(web.pageErrors, []);
  });
});

/** Waits until the audit table shows exactly `expected` rows. */
async function waitForRows(page: Page, expected: number): Promise<void> {
  // Polled from here: the app's CSP (rightly) refuses the string evaluation waitForFunction would need.
  const rows = page.locator('table tbody tr');
  for (let attempt = 0; attempt < 200 && (await rows.count()) !== expected; attempt += 1) {
    await page.waitForTimeout(100);
  }
  assert.equal(await rows.count(), expected);
}

describe('audit log in the browser', () => {
  it('filters by action, user and day, and links the record (en 1280, ar 360)', async () => {
    const entries = await web.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label'])
      .where('investigation_id', '=', investigationId)
      .execute();
    for (const [locale, width, messages] of [
      ['en', 1280, en],
      ['ar', 360, ar],
    ] as const) {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'watcher');
      await page.goto(`${web.baseUrl}/investigations/${investigationId}/audit`);
      await page.getByRole('heading', { level: 1, name: messages['transfer.audit.title'] }).waitFor();
      const rows = page.locator('table tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), entries.length);
      await expectNoSeriousAxeViolations(page, `audit log, ${locale}, ${width} px`);

      await page.getByLabel(messages['transfer.audit.action']).selectOption('import.batch');
      await page.getByRole('button', { name: messages['transfer.audit.apply'] }).click();
      await page.waitForURL(/action=import\.batch/);
      await waitForRows(page, entries.filter((entry) => entry.action === 'import.batch').length);

      await page.getByRole('button', { name: messages['transfer.audit.clear'] }).click();
      await page.getByLabel(messages['transfer.audit.user']).selectOption({ label: 'watcher' });
      await page.getByRole('button', { name: messages['transfer.audit.apply'] }).click();
      await page.getByText(messages['transfer.audit.none']).waitFor();

      await page.getByRole('button', { name: messages['transfer.audit.clear'] }).click();
      await page.getByLabel(messages['transfer.audit.to']).fill('2000-01-01');
      await page.getByRole('button', { name: messages['transfer.audit.apply'] }).click();
      await page.getByText(messages['transfer.audit.none']).waitFor();
      await page.getByRole('button', { name: messages['transfer.audit.clear'] }).click();
      const today = new Date().toISOString().slice(0, 10);
      await page.getByLabel(messages['transfer.audit.from']).fill(today);
      await page.getByRole('button', { name: messages['transfer.audit.apply'] }).click();
      await page.waitForURL(/from=/);
      await waitForRows(page, entries.length);
      await expectNoSeriousAxeViolations(page, `audit log filtered, ${locale}, ${width} px`);
      if (locale === 'ar') await page.screenshot({ path: '/tmp/transfer/audit-ar-360.png', fullPage: true });

      // The site recorded by hand links to its page.
      await page.getByRole('link', { name: messages['entity.sites'], exact: true }).first().click();
      await page.waitForURL(new RegExp(`/sites/${siteId}$`));
    }
    assert.deepEqual(web.pageErrors, []);
  });
});
