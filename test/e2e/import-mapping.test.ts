// The import screen's mapping step in the browser: a file whose headers are partly French and partly unknown is
// checked, its columns are mapped with one select each (keyboard), checked again, saved under a name and
// imported; the server's rows and saved mapping are checked afterwards. English at 1280 px, Arabic at 360 px.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

let web: WebHarness;
let investigationId: string;
const screenshots = '/tmp/tabular';

const inventory = (prefix: string) =>
  [
    'Code;Nom du site;Type de site;Objet;Catégorie;Notes',
    `${prefix}-S1;Grange;Cache;${prefix}-I1;Cartouches;vu deux fois`,
    `${prefix}-S1;;;${prefix}-I2;قذيفة هاون;`,
  ].join('\r\n');

before(async () => {
  web = await startWebHarness();
  const chief = await createTestUser(web.db, 'mapper', true);
  investigationId = (await createInvestigation(web.db, chief, { title: 'Mappings' })).id;
  fs.mkdirSync(screenshots, { recursive: true });
});
after(() => web.close());

const fieldFor = (messages: typeof en, header: string) =>
  messages['transfer.import.mappingFieldFor'].replace('{header}', header);

async function mappingFlow(page: Page, messages: typeof en, where: string, prefix: string): Promise<void> {
  await page.goto(`${web.baseUrl}/investigations/${investigationId}/import`);
  await page.getByRole('heading', { level: 1, name: messages['transfer.import.title'] }).waitFor();
  await page.locator('input[type="file"]').setInputFiles({
    name: `inventaire-${prefix}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from(inventory(prefix)),
  });
  await page.locator('input[type="file"]').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');

  // Proposed: the French headers recognised, `Code` and `Notes` not; the file cannot be imported yet.
  await page.getByRole('heading', { name: messages['transfer.import.mappingTitle'] }).waitFor();
  const code = page.getByLabel(fieldFor(messages, 'Code'), { exact: true });
  const notes = page.getByLabel(fieldFor(messages, 'Notes'), { exact: true });
  assert.equal(await code.inputValue(), '');
  assert.equal(await page.getByLabel(fieldFor(messages, 'Catégorie'), { exact: true }).inputValue(), 'category');
  assert.equal(await page.getByLabel(fieldFor(messages, 'Nom du site'), { exact: true }).inputValue(), 'site_name');
  await page.getByRole('table', { name: messages['transfer.import.problemsCaption'] }).waitFor();
  await expectNoSeriousAxeViolations(page, `import mapping with problems, ${where}`);

  // Keyboard: choose the fields with the arrow keys of the focused select.
  await code.focus();
  await code.selectOption('site_ref');
  await notes.focus();
  await notes.selectOption('-');
  await page.getByText(messages['transfer.import.mappingChanged']).waitFor();
  assert.equal(await page.locator('section', { hasText: messages['transfer.import.confirmTitle'] }).count(), 0);
  if (where.includes('360'))
    await page.screenshot({ path: `${screenshots}/mapping-${where.replace(/\W+/g, '-')}.png`, fullPage: true });

  const recheck = page.getByRole('button', { name: messages['transfer.import.recheck'] });
  await recheck.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('table', { name: messages['transfer.import.sitesCaption'] }).waitFor();
  assert.equal(await code.inputValue(), 'site_ref');
  assert.equal(await notes.inputValue(), '-');
  await expectNoSeriousAxeViolations(page, `import mapping checked, ${where}`);

  // Saved under a name for the next file of this shape.
  await page.getByLabel(messages['transfer.import.saveMappingName']).fill(`colonnes ${prefix}`);
  await page.getByLabel(messages['transfer.import.saveMappingName']).press('Enter');
  await page.getByText(messages['transfer.import.mappingSaved'].replace('{name}', `colonnes ${prefix}`)).waitFor();

  const confirm = page.locator('section', { hasText: messages['transfer.import.confirmTitle'] }).locator('button');
  await confirm.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: messages['transfer.import.doneTitle'] }).waitFor();
  await expectNoSeriousAxeViolations(page, `import done, ${where}`);

  // The server's state: the items with their categories read from French and Arabic labels, the saved mapping.
  const items = await web.db
    .selectFrom('items')
    .innerJoin('sites', 'sites.id', 'items.site_id')
    .select(['items.external_ref', 'items.category', 'sites.external_ref as site_ref', 'sites.site_type'])
    .where('items.investigation_id', '=', investigationId)
    .where('items.external_ref', 'like', `${prefix}-%`)
    .orderBy('items.external_ref')
    .execute();
  assert.deepEqual(
    items.map((item) => [item.external_ref, item.category, item.site_ref, item.site_type]),
    [
      [`${prefix}-I1`, 'cartridges', `${prefix}-S1`, 'cache'],
      [`${prefix}-I2`, 'mortar_bomb', `${prefix}-S1`, 'cache'],
    ],
  );
  const saved = await web.db
    .selectFrom('import_mappings')
    .select(['mapping'])
    .where('investigation_id', '=', investigationId)
    .where('name', '=', `colonnes ${prefix}`)
    .executeTakeFirstOrThrow();
  const mapping = (typeof saved.mapping === 'string' ? JSON.parse(saved.mapping) : saved.mapping) as Record<
    string,
    unknown
  >;
  assert.equal(mapping.Code, 'site_ref');
  assert.equal(mapping.Notes, null);
  assert.equal(mapping['Catégorie'], 'category');
  assert.deepEqual(web.pageErrors, []);
}

describe('import mapping step in the browser', () => {
  it('maps, checks again, saves and imports (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'mapper');
    await mappingFlow(page, en, 'en, 1280 px', 'EN');
  });

  it('does the same in Arabic at 360 px', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'mapper');
    await mappingFlow(page, ar, 'ar, 360 px', 'AR');
    await page.screenshot({ path: `${screenshots}/import-done-ar-360.png`, fullPage: true });
  });
});
