/**
 * Issue 12, item 2 in a browser: an ODK Central export (OData JSON) uploaded from the web app, checked first (a dry
 * run writes nothing), imported, then uploaded again (nothing created twice), in English at 1280 px; in Arabic at
 * 360 px, keyboard first, a refused export lists its problems by submission and field, and an upload whose
 * connection is cut says so and keeps the chosen file to send again. The database is checked after each step; axe
 * runs on each state of the screen.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { odataExportJson, odataSubmission } from '../../src/testing/odk.js';
import { createTestSite } from '../../src/testing/records.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const screenshots = '/tmp/web/forms-import';
const arabic = JSON.parse(readFileSync(new URL('../../src/i18n/ar.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const ar = (key: string): string => {
  const message = arabic[key];
  if (message === undefined) throw new Error(`no Arabic message ${key}`);
  return message;
};

/** One ODK Central OData submission of the capture form, as the saved JSON a user uploads. */
function odataExport(siteId: string, instance: string, category: string): Buffer {
  return Buffer.from(odataExportJson([odataSubmission({ siteId, instance, category })]));
}

describe('ODK / Kobo export upload in the web app', () => {
  let web: WebHarness;
  let lead: Actor;
  let investigationId: string;
  let siteId: string;
  const good = 'uuid:9d0c3f5e-1b2a-4c3d-8e4f-5a6b7c8d0101';

  const formsPage = () => `${web.baseUrl}/investigations/${investigationId}/import/forms`;
  const submissions = () => web.db.selectFrom('form_submissions').select('instance_id').execute();
  const itemCount = async () =>
    Number(
      (
        await web.db
          .selectFrom('items')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('investigation_id', '=', investigationId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  async function choose(page: Page, name: string, bytes: Buffer): Promise<void> {
    await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'application/json', buffer: bytes });
  }

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    web = await startWebHarness();
    lead = await createTestUser(web.db, 'lead');
    investigationId = (await createInvestigation(web.db, lead, { title: 'Form exports' })).id;
    siteId = await createTestSite(web.db, lead, investigationId, { name: 'Grain store' });
  });
  after(async () => {
    await web.close();
  });

  it('checks, imports and re-imports an ODK Central export without creating anything twice (en)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'lead');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/import`);
    await page.getByRole('link', { name: 'Import an ODK Central or KoboToolbox export instead' }).click();
    await page.getByRole('heading', { name: 'Import from ODK or KoboToolbox' }).waitFor();
    const xlsform = page.getByRole('link', { name: 'Download the XLSForm (.xlsx)' });
    assert.equal(await xlsform.getAttribute('href'), `/api/v1/investigations/${investigationId}/forms/xlsform`);
    await expectNoSeriousAxeViolations(page, 'forms import, en, 1280 px');

    await choose(page, 'submissions.json', odataExport(siteId, good, 'fuze'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    const result = page.getByTestId('forms-result');
    await result.getByText('1 item would be created.').waitFor();
    await result.getByText('ODK Central OData JSON').waitFor();
    assert.equal(await itemCount(), 0, 'a check writes nothing');
    assert.deepEqual(await submissions(), []);
    await expectNoSeriousAxeViolations(page, 'forms import checked, en, 1280 px');

    await result.getByRole('button', { name: 'Import 1 new submission' }).click();
    await page.getByText('1 item was created.').waitFor();
    assert.equal(await itemCount(), 1);
    assert.deepEqual(await submissions(), [{ instance_id: good }]);
    await page.getByRole('link', { name: good }).waitFor();

    await page.getByRole('button', { name: 'Import another file' }).click();
    await choose(page, 'submissions.json', odataExport(siteId, good, 'fuze'));
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('1 already imported, left as it is').waitFor();
    await page.getByText('Everything in this file was imported before: there is nothing to import.').waitFor();
    assert.equal(await itemCount(), 1, 'nothing created twice');
    assert.deepEqual(web.pageErrors, []);
  });

  it('lists a refused export’s problems and keeps the file when the upload is cut (ar, 360 px, keyboard)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'lead');
    await page.goto(formsPage());
    await page.getByRole('heading', { name: ar('forms.import.title') }).waitFor();
    await expectNoSeriousAxeViolations(page, 'forms import, ar, 360 px');

    await choose(page, 'bad.json', odataExport(siteId, 'uuid:9d0c3f5e-1b2a-4c3d-8e4f-5a6b7c8d0102', 'spaceship'));
    await page.getByRole('button', { name: ar('forms.import.check') }).focus();
    await page.keyboard.press('Enter');
    const problems = page.getByTestId('forms-problems');
    await problems.waitFor();
    assert.match((await problems.textContent()) ?? '', /category/);
    assert.equal(await itemCount(), 1, 'nothing imported from a refused file');
    await page.screenshot({ path: `${screenshots}/forms-problems-ar-360.png`, fullPage: true });
    await expectNoSeriousAxeViolations(page, 'forms import refused, ar, 360 px');

    // The connection cut while the file is on its way: the app says so, the file stays chosen.
    const fresh = 'uuid:9d0c3f5e-1b2a-4c3d-8e4f-5a6b7c8d0103';
    await choose(page, 'second.json', odataExport(siteId, fresh, 'fuze'));
    const upload = '**/api/v1/investigations/*/forms/import*';
    await page.context().route(upload, (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: ar('forms.import.check') }).click();
    await page.getByRole('alert').getByText(ar('error.network')).waitFor();
    assert.match(await page.locator('input[type="file"]').inputValue(), /second\.json$/, 'the file stays chosen');
    await page.screenshot({ path: `${screenshots}/forms-upload-cut-ar-360.png`, fullPage: true });
    await page.context().unroute(upload);
    await page.getByRole('button', { name: ar('forms.import.check') }).click();
    await page.getByTestId('forms-result').waitFor();
    assert.deepEqual((await submissions()).length, 1, 'still only checked');
    assert.deepEqual(web.pageErrors, []);
  });
});
