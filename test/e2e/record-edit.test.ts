/**
 * Correct and archive (issue 11, item 1) in a browser: a site's names and point (typed in degrees, minutes and
 * seconds), an item's fields, a marking, a zone; a stale edit (the record changed through the API between loading
 * and saving) shows both versions and overwrites nothing; archive with a reason; each record's history shows every
 * change. In English and in Arabic (at 360 px), the server's state checked after each step; axe-core on every
 * screen in en and ar at 1280 and 360 px.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { createItem } from '../../src/features/items/service.js';
import { updateMarking } from '../../src/features/markings/service.js';
import { createSite, createZone, updateSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const arabic = JSON.parse(fs.readFileSync(new URL('../../src/i18n/ar.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const english = JSON.parse(fs.readFileSync(new URL('../../src/i18n/en.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
/** An Arabic message as an Arabic reader sees it (placeholders left out). */
const ar = (key: string): string => {
  const message = arabic[key];
  assert.ok(message !== undefined, `ar.json has ${key}`);
  return message;
};

/** 36°21'04"N and 43°10'44"E in decimal degrees. */
const dmsLatitude = 36 + 21 / 60 + 4 / 3600;
const dmsLongitude = 43 + 10 / 60 + 44 / 3600;
const screenshots = '/tmp/edit';

describe('correct and archive records in the web app', () => {
  let web: WebHarness;
  let owner: Actor;
  let investigationId: string;
  let siteId: string;
  let otherSiteId: string;
  let itemId: string;
  let markingId: string;
  let zoneId: string;

  const sitePage = () => `${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`;
  const itemPage = () => `${web.baseUrl}/investigations/${investigationId}/items/${itemId}`;
  const site = () => web.db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirstOrThrow();
  const item = () => web.db.selectFrom('items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
  const marking = () => web.db.selectFrom('markings').selectAll().where('id', '=', markingId).executeTakeFirstOrThrow();
  const auditActions = async (entityId: string) =>
    (
      await web.db.selectFrom('audit_log').select('action').where('entity_id', '=', entityId).orderBy('seq').execute()
    ).map((row) => row.action);

  /** Whether the element has the keyboard focus. */
  const hasFocus = (locator: Locator) =>
    locator.evaluate(
      (element) =>
        element === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
    );

  async function axe(page: Page, where: string): Promise<void> {
    await expectNoSeriousAxeViolations(page, where);
  }

  before(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'record-owner');
    await createTestUser(web.db, 'record-viewer');
    const investigation = await createInvestigation(web.db, owner, { title: 'Northern caches' });
    investigationId = investigation.id;
    await addMember(web.db, owner, investigationId, { username: 'record-viewer', role: 'viewer' });
    const created = await createSite(web.db, owner, investigationId, {
      site_type: 'cache',
      name: 'Farmhouse cellar',
      names: { ar: 'قبو المزرعة' },
      latitude: 36.3,
      longitude: 43.1,
      precision_m: 50,
    });
    siteId = created.id;
    otherSiteId = (
      await createSite(web.db, owner, investigationId, { site_type: 'storage_depot', name: 'Orchard pit' })
    ).id;
    zoneId = (await createZone(web.db, owner, siteId, { name: 'Rear room' })).id;
    const recorded = await createItem(web.db, owner, investigationId, {
      site_id: siteId,
      category: 'fuze',
      model: 'M-1',
      quantity: 40,
      markings: [{ text: '12-34567', kind: 'serial', position: 'body' }],
    });
    itemId = recorded.id;
    markingId = recorded.markings[0]!.id;
  });
  after(() => web.close());

  it('edits a site’s name and its point typed in degrees, minutes and seconds; the history shows it (en)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'record-owner');
    await page.goto(sitePage());
    await page.getByRole('button', { name: 'Edit the site' }).click();
    const name = page.getByLabel('Name', { exact: true });
    assert.equal(await hasFocus(name), true, 'the name has focus');
    await name.fill('Farmhouse cellar (west)');
    await page.getByLabel('Latitude', { exact: true }).fill(`36°21'04"N`);
    await page.getByLabel('Longitude', { exact: true }).fill(`43°10'44"E`);
    await page.getByLabel('Precision (metres)').fill('30');
    await page.getByRole('button', { name: 'Add a name in another language' }).click();
    await page.getByLabel('Language code').nth(1).fill('fr');
    await page.getByLabel('Name in that language').nth(1).fill('Cave de la ferme');
    await axe(page, 'site edit form, en, 1280 px');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();

    const stored = await site();
    assert.equal(stored.name, 'Farmhouse cellar (west)');
    assert.ok(Math.abs(stored.latitude! - dmsLatitude) < 1e-6, String(stored.latitude));
    assert.ok(Math.abs(stored.longitude! - dmsLongitude) < 1e-6, String(stored.longitude));
    assert.equal(stored.precision_m, 30);
    assert.deepEqual(stored.names, { ar: 'قبو المزرعة', fr: 'Cave de la ferme' });
    assert.equal(stored.version, 2);
    assert.deepEqual(await auditActions(siteId), ['site.create', 'site.update']);

    const history = page.getByRole('region', { name: 'History of the site' });
    const update = history.locator('li[data-action="site.update"]');
    await update.getByText('Farmhouse cellar (west)').waitFor();
    await update.getByText('Cave de la ferme', { exact: false }).waitFor();
    await page.getByText('36.351111, 43.178889').waitFor();
    await axe(page, 'site page with its history, en, 1280 px');
  });

  it('refuses a stale site edit, shows both versions, then applies the change onto the current one (en, 360 px)', async () => {
    const page = await web.newPage({ locale: 'en', width: 360 });
    await web.signIn(page, 'record-owner');
    await page.goto(sitePage());
    await page.getByRole('button', { name: 'Edit the site' }).click();
    await page.getByLabel('Context').fill('Found under the stairs');
    await page.getByLabel('Recovered by').fill('Team 2');
    // Someone else saves first, through the API.
    const before = await site();
    await updateSite(web.db, owner, siteId, {
      version: before.version,
      name: 'Changed elsewhere',
      recovered_by: 'Team 5',
    });
    await page.getByRole('button', { name: 'Save changes' }).click();
    const notice = page.getByTestId('stale-edit');
    await notice.waitFor();
    // Side by side (on a phone, one under the other, each labelled): the user's value and the current one.
    const recovered = notice.locator('tr[data-differs="true"]', { hasText: 'Recovered by' });
    await recovered.locator('td[data-label="Your version"]', { hasText: 'Team 2' }).waitFor();
    await recovered.locator('td[data-label="Current version"]', { hasText: 'Team 5' }).waitFor();
    assert.equal(await hasFocus(notice.getByRole('heading')), true, 'the notice takes the focus');
    // Nothing was overwritten.
    const meanwhile = await site();
    assert.equal(meanwhile.context, '');
    assert.equal(meanwhile.name, 'Changed elsewhere');
    assert.equal(meanwhile.recovered_by, 'Team 5');
    await axe(page, 'stale site edit, en, 360 px');
    await page.screenshot({ path: `${screenshots}/site-stale-en-360.png`, fullPage: true });

    await notice.getByRole('button', { name: 'Apply my changes to the current version' }).click();
    await page.getByText('Changes saved.').waitFor();
    const stored = await site();
    assert.equal(stored.context, 'Found under the stairs');
    assert.equal(stored.recovered_by, 'Team 2');
    assert.equal(stored.name, 'Changed elsewhere', 'a field the user did not change keeps its current value');
    assert.equal(stored.version, before.version + 2);
  });

  it('edits an item’s fields and takes the current version of a marking changed meanwhile (en)', async () => {
    const page = await web.newPage({ locale: 'en' });
    await web.signIn(page, 'record-owner');
    await page.goto(itemPage());
    await page.getByRole('button', { name: 'Edit the item' }).click();
    await page.getByLabel('Model').fill('M-2');
    await page.getByLabel('Quantity').fill('٤١');
    await page.getByLabel('Condition').selectOption({ label: 'Corroded' });
    await page.getByLabel('Zone').selectOption({ label: 'Rear room' });
    await page.getByLabel('Observations').fill('Rust on the body');
    await page.getByLabel('Tags').fill('crate 4, north wall');
    await axe(page, 'item edit form, en, 1280 px');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    const stored = await item();
    assert.equal(stored.model, 'M-2');
    assert.equal(stored.quantity, 41);
    assert.equal(stored.condition, 'corroded');
    assert.equal(stored.zone_id, zoneId);
    assert.equal(stored.observations, 'Rust on the body');
    assert.deepEqual(stored.tags, ['crate 4', 'north wall']);
    const history = page.getByRole('region', { name: 'History', exact: true });
    await history.locator('li[data-action="item.update"]').getByText('M-2').waitFor();

    // A marking changed through the API while it is being edited.
    const row = page.getByTestId('marking-row').filter({ hasText: '12-34567' });
    await row.getByRole('button', { name: /^Edit marking/ }).click();
    const form = page.getByRole('form', { name: /^Edit marking/ });
    await form.getByLabel('Marking', { exact: true }).fill('12-34568');
    await updateMarking(web.db, owner, markingId, { version: (await marking()).version, text: '12-34569' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    const notice = page.getByTestId('stale-edit');
    await notice.locator('tr[data-differs="true"]').getByText('12-34568').waitFor();
    assert.equal((await marking()).text, '12-34569', 'nothing overwritten');
    await axe(page, 'stale marking edit, en, 1280 px');
    // "Use the current version" reloads the item's markings; that reload is held until the user has typed, as on a
    // slow network, and must not reset the open form (it once did: the save then sent nothing).
    let releaseReload = () => {};
    const reloadHeld = new Promise<void>((resolve) => (releaseReload = resolve));
    const itemUrl = (url: URL) => url.pathname === `/api/v1/items/${itemId}`;
    await page.route(itemUrl, async (route) => {
      await reloadHeld;
      await route.continue();
    });
    await notice.getByRole('button', { name: 'Use the current version' }).click();
    await page.getByTestId('stale-edit').waitFor({ state: 'detached' });
    const text = form.getByLabel('Marking', { exact: true });
    assert.equal(await text.inputValue(), '12-34569');
    await form.getByLabel('Position on the item').fill('left side of the body');
    releaseReload();
    await page.getByTestId('marking-row').filter({ hasText: '12-34569' }).waitFor();
    await page.unroute(itemUrl);
    assert.equal(await form.getByLabel('Position on the item').inputValue(), 'left side of the body');
    // Waits on the save's own outcome: its PATCH answered, then the form closed, then the refreshed row.
    const saved = page.waitForResponse(
      (response) => response.request().method() === 'PATCH' && response.url().endsWith(`/api/v1/markings/${markingId}`),
    );
    await form.getByRole('button', { name: 'Save changes' }).click();
    assert.equal((await saved).status(), 200);
    await form.waitFor({ state: 'detached' });
    await page.getByTestId('marking-row').filter({ hasText: 'left side of the body' }).waitFor();
    const corrected = await marking();
    assert.equal(corrected.text, '12-34569');
    assert.equal(corrected.position, 'left side of the body');
    assert.deepEqual(await auditActions(markingId), ['marking.create', 'marking.update', 'marking.update']);

    await page
      .getByTestId('marking-row')
      .getByRole('button', { name: /^History of marking/ })
      .click();
    const markingHistory = page.getByRole('region', { name: /^History of marking/ });
    await markingHistory.locator('li[data-action="marking.update"]').getByText('left side of the body').waitFor();
    await axe(page, 'marking history, en, 1280 px');
  });

  it('edits a zone, archives a marking, the zone and the item with a reason, keyboard first (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'record-owner');

    // The site: its name corrected in Arabic, a zone renamed.
    await page.goto(sitePage());
    await page.getByRole('button', { name: ar('edit.site.button') }).click();
    await page.getByLabel(ar('site.name'), { exact: true }).fill('قبو المزرعة الغربي');
    await axe(page, 'site edit form, ar, 360 px');
    await page.screenshot({ path: `${screenshots}/site-edit-ar-360.png`, fullPage: true });
    await page.getByRole('button', { name: ar('edit.save') }).click();
    await page.getByText(ar('edit.saved')).waitFor();
    assert.equal((await site()).name, 'قبو المزرعة الغربي');

    const zone = page.getByTestId('zone').filter({ hasText: 'Rear room' });
    await zone
      .getByRole('button', { name: /Rear room/ })
      .first()
      .click();
    await page.getByLabel(ar('site.zoneName')).first().fill('الغرفة الخلفية');
    await zone.getByRole('button', { name: ar('edit.save') }).click();
    await page.getByTestId('zone').filter({ hasText: 'الغرفة الخلفية' }).waitFor();
    const renamed = await web.db.selectFrom('zones').selectAll().where('id', '=', zoneId).executeTakeFirstOrThrow();
    assert.equal(renamed.name, 'الغرفة الخلفية');

    // The zone's archive dialog: Escape closes it and the focus goes back; then archived with a reason.
    const archiveZone = page
      .getByTestId('zone')
      .getByRole('button', { name: /الغرفة الخلفية/ })
      .nth(1);
    await archiveZone.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await axe(page, 'archive dialog, ar, 360 px');
    await page.screenshot({ path: `${screenshots}/archive-dialog-ar-360.png` });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await hasFocus(archiveZone), true, 'focus returns');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // The reason is required: nothing is sent without one.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.getByText(ar('record.archive.reasonRequired')).waitFor();
    await dialog.getByLabel(ar('record.archive.reason')).fill('دُمجت مع القاعة الرئيسية');
    await dialog.getByRole('button', { name: ar('record.archive.confirm') }).click();
    await page.getByTestId('zone').first().waitFor({ state: 'detached' });
    const archivedZone = await web.db
      .selectFrom('zones')
      .selectAll()
      .where('id', '=', zoneId)
      .executeTakeFirstOrThrow();
    assert.notEqual(archivedZone.archived_at, null);
    assert.equal(archivedZone.archive_reason, 'دُمجت مع القاعة الرئيسية');

    // The site's history, in Arabic.
    const history = page.getByRole('region', { name: ar('edit.site.historyTitle') });
    await history.locator('li[data-action="site.update"]').getByText('قبو المزرعة الغربي').waitFor();
    await axe(page, 'site page, ar, 360 px');

    // The marking archived, then the item.
    await page.goto(itemPage());
    // By the archive button's own name ("Archive marking …"): the row also has edit, history and review buttons.
    await page
      .getByTestId('marking-row')
      .getByRole('button', { name: ar('edit.marking.archiveTitle').split('{')[0]!.trim() })
      .click();
    await page.getByRole('dialog').getByLabel(ar('record.archive.reason')).fill('قراءة مكررة');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: ar('record.archive.confirm') })
      .click();
    await page.getByText(ar('item.noMarkings')).waitFor();
    const archivedMarking = await marking();
    assert.equal(archivedMarking.archive_reason, 'قراءة مكررة');
    assert.notEqual(archivedMarking.archived_at, null);

    await page.getByRole('button', { name: ar('edit.item.button') }).waitFor();
    await axe(page, 'item page, ar, 360 px');
    await page.getByRole('button', { name: ar('edit.item.button') }).click();
    await axe(page, 'item edit form, ar, 360 px');
    await page.screenshot({ path: `${screenshots}/item-edit-ar-360.png`, fullPage: true });
    await page.getByRole('button', { name: ar('common.cancel') }).click();
    await page.getByRole('button', { name: ar('record.archive.button'), exact: true }).click();
    await page.getByRole('dialog').getByLabel(ar('record.archive.reason')).fill('سُجّلت مرتين');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: ar('record.archive.confirm') })
      .click();
    await page.getByText(ar('item.archived')).waitFor();
    const archivedItem = await item();
    assert.equal(archivedItem.archive_reason, 'سُجّلت مرتين');
    const itemHistory = page.getByRole('region', { name: ar('item.history') });
    await itemHistory.locator('li[data-action="item.archive"]').getByText('سُجّلت مرتين').waitFor();
    assert.deepEqual(await auditActions(itemId), ['item.create', 'item.update', 'item.archive']);
    await page.screenshot({ path: `${screenshots}/item-archived-ar-360.png`, fullPage: true });
  });

  it('offers no edit or archive to a viewer; the history is still shown (ar, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'ar' });
    await web.signIn(page, 'record-viewer');
    await page.goto(sitePage());
    await page
      .getByRole('region', { name: ar('edit.site.historyTitle') })
      .locator('li')
      .first()
      .waitFor();
    assert.equal(await page.getByRole('button', { name: ar('edit.site.button') }).count(), 0);
    assert.equal(await page.getByRole('button', { name: ar('record.archive.button'), exact: true }).count(), 0);
    await axe(page, 'site page (viewer), ar, 1280 px');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${otherSiteId}`);
    await page.getByRole('heading', { name: 'Orchard pit' }).waitFor();
    assert.equal(await page.getByRole('button', { name: ar('edit.site.button') }).count(), 0);
  });

  it('passes axe on every screen in en and ar at 1280 and 360 px', async () => {
    const sweepSite = await createSite(web.db, owner, investigationId, { site_type: 'checkpoint', name: 'Axe check' });
    const sweepItem = await createItem(web.db, owner, investigationId, {
      site_id: sweepSite.id,
      category: 'cartridges',
      quantity: 3,
      markings: [{ text: 'KL-0471', kind: 'lot' }],
    });
    for (const locale of ['en', 'ar'] as const) {
      const text = (key: string) => (locale === 'ar' ? ar(key) : english[key]!);
      for (const width of [1280, 360]) {
        const where = (screen: string) => `${screen}, ${locale}, ${width} px`;
        const page = await web.newPage({ locale, width });
        await web.signIn(page, 'record-owner');
        await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${sweepSite.id}`);
        await page.getByRole('button', { name: text('edit.site.button') }).click();
        await page.locator('form.site-edit').waitFor();
        await axe(page, where('site edit form'));
        await page.getByRole('button', { name: text('common.cancel') }).click();
        await page.getByRole('button', { name: text('record.archive.button'), exact: true }).click();
        await page.getByRole('dialog').waitFor();
        await axe(page, where('archive dialog'));
        await page.keyboard.press('Escape');
        await page.locator('.record-history li').first().waitFor();
        await axe(page, where('site page with its history'));

        await page.goto(`${web.baseUrl}/investigations/${investigationId}/items/${sweepItem.id}`);
        await page.getByRole('button', { name: text('edit.item.button') }).click();
        await page.locator('form.item-edit').waitFor();
        await axe(page, where('item edit form'));
        await page.getByRole('button', { name: text('common.cancel') }).click();
        const row = page.getByTestId('marking-row');
        await row
          .getByRole('button', { name: /KL-0471/ })
          .first()
          .click();
        await page.locator('form.marking-edit').waitFor();
        await axe(page, where('marking edit form'));
        await page
          .locator('form.marking-edit')
          .getByRole('button', { name: text('common.cancel') })
          .click();
        await row
          .getByRole('button', { name: /KL-0471/ })
          .nth(2)
          .click();
        await page.locator('.record-history').first().locator('li').first().waitFor();
        await axe(page, where('marking history'));
      }
    }
    // Looking changed nothing.
    const unchanged = await web.db
      .selectFrom('sites')
      .select('version')
      .where('id', '=', sweepSite.id)
      .executeTakeFirstOrThrow();
    assert.equal(unchanged.version, 1);
  });

  it('raised no page error', () => {
    assert.deepEqual(web.pageErrors, []);
  });
});
