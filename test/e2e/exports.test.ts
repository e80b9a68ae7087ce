// The tables and maps of the downloads screen, driven in the browser in English (1280 px) and Arabic (360 px):
// the bytes downloaded are checked (CSV with BOM and Arabic labels, GeoJSON features, KML, XLSX read back) against
// the server's records, and the count of records left out of a map file is shown.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { loadExampleInvestigation } from '../../src/features/demo/service.js';
import { addMember } from '../../src/features/investigations/service.js';
import { createItem } from '../../src/features/items/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

let web: WebHarness;
let investigationId: string;

before(async () => {
  web = await startWebHarness();
  const chief = await createTestUser(web.db, 'chief', true);
  await createTestUser(web.db, 'watcher');
  investigationId = (await loadExampleInvestigation(web.db, chief)).id;
  await addMember(web.db, chief, investigationId, { username: 'watcher', role: 'viewer' });
  const unplaced = await createSite(web.db, chief, investigationId, { name: 'Not yet located', site_type: 'cache' });
  await createItem(web.db, chief, investigationId, {
    site_id: unplaced.id,
    category: 'mortar_bomb',
    model: '=1+2',
    external_ref: 'UNPLACED-1',
  });
});
after(() => web.close());

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  return fs.readFileSync(await file.path());
}

const liveCount = async (table: 'sites' | 'items') =>
  (
    await web.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('investigation_id', '=', investigationId)
      .where('archived_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).n;

describe('tables and maps on the downloads screen', () => {
  it('downloads CSV, XLSX, GeoJSON and KML with labels in the chosen language', async () => {
    for (const [locale, width, messages] of [
      ['en', 1280, en],
      ['ar', 360, ar],
    ] as const) {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'watcher');
      await page.goto(`${web.baseUrl}/investigations/${investigationId}/downloads`);
      await page.getByRole('heading', { level: 2, name: messages['transfer.exports.title'] }).waitFor();
      await expectNoSeriousAxeViolations(page, `table exports, ${locale}, ${width} px`);
      const button = (table: 'items' | 'sites' | 'hazards', format: string) =>
        messages['transfer.exports.download']
          .replace('{table}', messages[`transfer.exports.${table}`])
          .replace('{format}', format);

      // The language follows the interface; the select is changed from the keyboard, then set back.
      await page.getByLabel(messages['transfer.downloads.language']).focus();
      await page.keyboard.press('ArrowDown');
      const chosen = await page.getByLabel(messages['transfer.downloads.language']).inputValue();
      assert.equal(chosen, locale === 'ar' ? 'fr' : 'ar');
      await page.getByLabel(messages['transfer.downloads.language']).selectOption(locale);

      const hazards = await download(page, button('hazards', 'CSV'));
      assert.deepEqual([...hazards.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
      const text = hazards.toString('utf8');
      assert.match(text, locale === 'ar' ? /قذيفة هاون/ : /Mortar bomb/);
      assert.match(text, /'=1\+2/, 'the formula is written as text');
      assert.equal(text.trim().split('\r\n').length, 1 + 3);

      const geo = JSON.parse((await download(page, button('sites', 'GEOJSON'))).toString('utf8')) as {
        features: { geometry: { coordinates: [number, number] } }[];
      };
      assert.equal(geo.features.length, (await liveCount('sites')) - 1);
      const leftOut = page
        .locator('.notice-success')
        .filter({ hasText: locale === 'ar' ? 'استُبعد سجل واحد' : '1 record' });
      await leftOut.waitFor();

      const kml = (await download(page, button('sites', 'KML'))).toString('utf8');
      assert.equal((kml.match(/<Placemark>/g) ?? []).length, geo.features.length);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await download(page, button('items', 'XLSX'))) as unknown as ArrayBuffer);
      assert.equal(workbook.getWorksheet('items')!.rowCount, 1 + (await liveCount('items')));
      await expectNoSeriousAxeViolations(page, `table exports after, ${locale}, ${width} px`);
      if (locale === 'ar') await page.screenshot({ path: '/tmp/exports/downloads-ar-360.png', fullPage: true });
      await page.context().close();
    }
    assert.deepEqual(web.pageErrors, []);
  });
});
