// The export profile on the downloads screen (issue 13, item 3): an editor chooses `public` with a grid from the
// keyboard and gets the public output (the server says so in its header and in the file; points on that grid);
// viewers and investigators cannot choose partner or public, and the server refuses them too.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadExampleInvestigation } from '../../src/features/demo/service.js';
import { isGridCentre } from '../../src/features/export/grid.js';
import { addMember } from '../../src/features/investigations/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

let web: WebHarness;
let investigationId: string;

before(async () => {
  web = await startWebHarness();
  const chief = await createTestUser(web.db, 'chief', true);
  investigationId = (await loadExampleInvestigation(web.db, chief)).id;
  for (const [username, role] of [
    ['releaser', 'editor'],
    ['fieldworker', 'investigator'],
    ['watcher', 'viewer'],
  ] as const) {
    await createTestUser(web.db, username);
    await addMember(web.db, chief, investigationId, { username, role });
  }
});
after(() => web.close());

async function openDownloads(page: Page, messages: typeof en): Promise<void> {
  await page.goto(`${web.baseUrl}/investigations/${investigationId}/downloads`);
  await page.getByRole('heading', { level: 1, name: messages['transfer.downloads.title'] }).waitFor();
}

/** The published public sites as the server holds them. */
async function publishedPublicSites(): Promise<string[]> {
  const rows = await web.db
    .selectFrom('sites')
    .select('external_ref')
    .where('investigation_id', '=', investigationId)
    .where('review_state', '=', 'published')
    .where('sensitivity', '=', 'public')
    .execute();
  return rows.map((row) => String(row.external_ref)).sort();
}

describe('the export profile on the downloads screen', () => {
  for (const [locale, width, messages] of [
    ['en', 1280, en],
    ['ar', 360, ar],
  ] as const) {
    it(`an editor chooses public with a 25 km grid from the keyboard (${locale}, ${width} px)`, async () => {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'releaser');
      await openDownloads(page, messages);
      const profile = page.getByLabel(messages['transfer.downloads.profile']);
      await page.locator('option[value="public"]:not([disabled])').waitFor({ state: 'attached' });
      await profile.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await profile.inputValue(), 'public');
      const grid = page.getByLabel(messages['transfer.downloads.gridKm']);
      await grid.focus();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('25');
      await expectNoSeriousAxeViolations(page, `downloads, public profile, ${locale}, ${width} px`);

      const what = messages['transfer.downloads.download'].replace('{what}', messages['transfer.downloads.json']);
      const [response, file] = await Promise.all([
        page.waitForResponse((candidate) => candidate.url().includes('/export.json')),
        page.waitForEvent('download'),
        page.getByRole('button', { name: what }).click(),
      ]);
      assert.equal(response.status(), 200);
      assert.equal(response.headers()['armtrace-profile'], 'public');
      assert.match(response.url(), /profile=public&grid_km=25/);
      assert.match(file.suggestedFilename(), /-public\.json$/);
      const document = JSON.parse(fs.readFileSync(await file.path(), 'utf8')) as {
        profile: { name: string; coordinates: { kind: string; cell_km?: number } };
        exported_by: string | null;
        records: { sites: { external_ref: string; latitude: number; longitude: number }[] };
      };
      assert.equal(document.profile.name, 'public');
      assert.deepEqual(document.profile.coordinates.kind, 'grid');
      assert.equal(document.profile.coordinates.cell_km, 25);
      assert.equal(document.exported_by, null);
      assert.deepEqual(document.records.sites.map((site) => site.external_ref).sort(), await publishedPublicSites());
      for (const site of document.records.sites) assert.ok(isGridCentre(site.latitude, site.longitude, 25));

      const sitesButton = messages['transfer.exports.download']
        .replace('{table}', messages['transfer.exports.sites'])
        .replace('{format}', 'GEOJSON');
      const [geoResponse, geoFile] = await Promise.all([
        page.waitForResponse((candidate) => candidate.url().includes('/exports/sites.geojson')),
        page.waitForEvent('download'),
        page.getByRole('button', { name: sitesButton }).click(),
      ]);
      assert.equal(geoResponse.headers()['armtrace-profile'], 'public');
      const geo = JSON.parse(fs.readFileSync(await geoFile.path(), 'utf8')) as {
        armtrace_profile: { name: string };
        features: { geometry: { coordinates: [number, number] } }[];
      };
      assert.equal(geo.armtrace_profile.name, 'public');
      assert.equal(geo.features.length, (await publishedPublicSites()).length);
      for (const feature of geo.features) {
        const [longitude, latitude] = feature.geometry.coordinates;
        assert.ok(isGridCentre(latitude, longitude, 25), `${latitude}, ${longitude} on the 25 km grid`);
      }
      await expectNoSeriousAxeViolations(page, `downloads after, ${locale}, ${width} px`);
      if (locale === 'ar')
        await page.screenshot({ path: '/tmp/pubexamples/downloads-public-ar-360.png', fullPage: true });
      assert.deepEqual(web.pageErrors, []);
      await page.context().close();
    });
  }

  for (const [username, locale, width, messages] of [
    ['watcher', 'ar', 360, ar],
    ['fieldworker', 'en', 1280, en],
  ] as const) {
    it(`${username} cannot choose partner or public, and the server refuses (${locale}, ${width} px)`, async () => {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, username);
      await openDownloads(page, messages);
      const profile = page.getByLabel(messages['transfer.downloads.profile']);
      await page.locator('option[value="public"][disabled]').waitFor({ state: 'attached' });
      assert.equal(await page.locator('option[value="partner"]').isDisabled(), true);
      await profile.focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await profile.inputValue(), 'internal', 'the keyboard skips the disabled profiles');
      assert.equal(await page.getByLabel(messages['transfer.downloads.gridKm']).count(), 0);
      await expectNoSeriousAxeViolations(page, `downloads as ${username}, ${locale}, ${width} px`);
      for (const chosen of ['partner', 'public']) {
        const status = await page.evaluate(
          async (url) => (await fetch(url)).status,
          `/api/v1/investigations/${investigationId}/export.json?profile=${chosen}`,
        );
        assert.equal(status, 403, `${username} asking for ${chosen}`);
      }
      assert.deepEqual(web.pageErrors, []);
      await page.context().close();
    });
  }
});
