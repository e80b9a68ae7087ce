// The outbox in a real browser (issue #10), through the shared harness:
// - a photo chosen for an item that is still in the outbox waits behind it (an upload queued on the device, or,
//   for a photo already on the server, a queued link) and is attached once the item is stored, exactly once;
// - the network cut in the middle of a sync (context.setOffline(true) while the batch, then a photo, is on its
//   way): nothing is lost or made twice, and the outbox shows what is left.
// Needs `npm run build:web` first and /usr/bin/chromium.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { startWebHarness, type TestLocale, type WebHarness } from './harness.js';

type FormatMessage = (locale: TestLocale, key: string, message: string, params?: Record<string, unknown>) => string;

const passphrase = 'dusty road north 2024';

/** A distinct small PNG per seed, so each has its own hash. */
async function photo(seed: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="150">
    <rect width="200" height="150" fill="#5a7c8c"/><rect x="${10 + seed * 17}" y="30" width="60" height="50" fill="#2f3b3b"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What IndexedDB's outbox holds, by kind (kinds are kept in plain so they can be counted while locked). */
const outboxKinds = `(async () => {
  const db = await new Promise((resolve, reject) => { const r = indexedDB.open('armtrace-offline'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  const rows = await new Promise((resolve, reject) => { const r = db.transaction('outbox').objectStore('outbox').getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
  db.close();
  const counts = {};
  for (const row of rows) counts[row.kind] = (counts[row.kind] || 0) + 1;
  return counts;
})()`;

describe('the outbox in a browser', () => {
  let web: WebHarness;
  let owner: Actor;
  let investigationId: string;
  let formatMessage: FormatMessage;
  const catalogues: Record<string, Record<string, string>> = {};

  /** A message as the app shows it in `locale`. */
  const say = (locale: TestLocale, key: string, params?: Record<string, unknown>) => {
    const message = catalogues[locale]![key];
    assert.ok(message !== undefined, `${locale}.json has ${key}`);
    return formatMessage(locale, key, message, params);
  };

  /** Navigates inside the running app (no reload: the offline key stays in memory). */
  const goInApp = (page: Page, to: string) =>
    page.evaluate(`history.pushState(null, '', ${JSON.stringify(to)}); dispatchEvent(new PopStateEvent('popstate'))`);

  async function setUpOffline(page: Page, locale: TestLocale): Promise<void> {
    await goInApp(page, '/outbox');
    await page.getByLabel(say(locale, 'offline.passphrase'), { exact: true }).fill(passphrase);
    await page.getByLabel(say(locale, 'offline.setup.confirm'), { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: say(locale, 'offline.setup.submit') }).click();
    await page.getByText(say(locale, 'offline.setup.done')).waitFor();
  }

  async function openCapture(page: Page, locale: TestLocale, siteId: string): Promise<void> {
    await goInApp(page, `/investigations/${investigationId}/sites/${siteId}/items/new`);
    await page.getByRole('heading', { name: say(locale, 'capture.title') }).waitFor();
  }

  async function describeItem(page: Page, locale: TestLocale, marking: string): Promise<void> {
    // After "like this" the label also says the value was carried over.
    await page.getByLabel(new RegExp(`^${say(locale, 'item.category')}`)).selectOption('small_arm');
    await page.getByLabel(say(locale, 'capture.markingText', { number: 1 }), { exact: true }).fill(marking);
  }

  async function saveAndAnother(page: Page, locale: TestLocale, marking: string): Promise<void> {
    await page.getByRole('button', { name: say(locale, 'capture.saveAndAnother') }).click();
    await page.getByRole('link', { name: new RegExp(marking) }).waitFor();
  }

  async function newSite(name: string): Promise<string> {
    return (await createSite(web.db, owner, investigationId, { site_type: 'cache', name })).id;
  }

  async function itemsWithMarking(text: string): Promise<string[]> {
    const rows = await web.db
      .selectFrom('items')
      .innerJoin('markings', 'markings.item_id', 'items.id')
      .select('items.id')
      .where('markings.text', '=', text)
      .execute();
    return rows.map((row) => row.id);
  }

  before(async () => {
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'field-outbox');
    investigationId = (await createInvestigation(web.db, owner, { title: 'Outbox checks' })).id;
    const i18n = new URL('../../web/src/i18n/i18n.tsx', import.meta.url).href;
    formatMessage = ((await import(i18n)) as { formatMessage: FormatMessage }).formatMessage;
    for (const locale of ['en', 'ar'] as const)
      catalogues[locale] = (
        (await import(new URL(`../../src/i18n/${locale}.json`, import.meta.url).href, {
          with: { type: 'json' },
        })) as {
          default: Record<string, string>;
        }
      ).default;
  });
  after(() => web.close());

  it('attaches a photo chosen for an item still in the outbox after the item is stored, once', async () => {
    const siteId = await newSite('Link depot');
    const page = await web.newPage({ locale: 'en' });
    const context = page.context();
    await web.signIn(page, 'field-outbox');
    await setUpOffline(page, 'en');
    await openCapture(page, 'en', siteId);
    // Online, but the batch endpoint is unreachable: the item waits in the outbox.
    await context.route('**/api/v1/sync', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{"code":"unavailable"}' }),
    );
    const uploadedFirst = await photo(1);
    const chosenLater = await photo(2);
    await describeItem(page, 'en', 'LINK-A-01');
    // Chosen before the save: it is uploaded at once, with no item yet.
    await page.getByTestId('photo-file-input').setInputFiles({
      name: 'before-save.png',
      mimeType: 'image/png',
      buffer: uploadedFirst,
    });
    await page.getByTestId('upload').filter({ hasText: 'before-save.png' }).getByText('Uploaded').waitFor();
    await saveAndAnother(page, 'en', 'LINK-A-01');
    await page.getByTestId('outbox-status').getByText('1 item, 1 photo not yet sent').waitFor();
    assert.equal((await web.db.selectFrom('media').select('id').execute()).length, 1);

    // The item's page (from the outbox): a photo added there waits on the device behind the item.
    await page.getByRole('link', { name: /LINK-A-01/ }).click();
    await page.getByRole('heading', { name: 'Photos' }).first().waitFor();
    await page
      .getByTestId('photo-file-input')
      .setInputFiles({ name: 'on-item-page.png', mimeType: 'image/png', buffer: chosenLater });
    await page.getByTestId('upload').filter({ hasText: 'on-item-page.png' }).getByText('Kept on this device').waitFor();
    await page.getByTestId('outbox-status').getByText('1 item, 2 photos not yet sent').waitFor();
    assert.deepEqual(await itemsWithMarking('LINK-A-01'), [], 'the item is not on the server yet');

    await context.unroute('**/api/v1/sync');
    await goInApp(page, '/outbox');
    // "Send now" — unless the outbox's own retry is already sending (the button is disabled meanwhile; on a loaded
    // machine that retry can outlast a click's wait). Either way everything must arrive, once.
    const sent = page.getByText('Nothing is waiting.');
    const clicked = page
      .getByRole('button', { name: 'Send now' })
      .first()
      .click({ timeout: 60_000 })
      .catch(() => undefined);
    await Promise.race([clicked, sent.waitFor({ timeout: 60_000 })]);
    await sent.waitFor({ timeout: 60_000 });

    const [itemId, ...more] = await itemsWithMarking('LINK-A-01');
    assert.ok(itemId !== undefined && more.length === 0, 'the item is on the server once');
    const media = await web.db.selectFrom('media').select(['id', 'sha256']).execute();
    assert.deepEqual(media.map((row) => row.sha256).sort(), [sha256(uploadedFirst), sha256(chosenLater)].sort());
    const links = await web.db.selectFrom('media_links').select(['media_id', 'item_id']).execute();
    assert.deepEqual(
      links.map((link) => [link.media_id, link.item_id]).sort(),
      media.map((row) => [row.id, itemId]).sort(),
      'each photo linked to the item, once',
    );
    assert.deepEqual(web.pageErrors, []);
  });

  it('loses and duplicates nothing when the network is cut in the middle of a sync (ar, 360 px)', async () => {
    const siteId = await newSite('موقع الانقطاع');
    const page = await web.newPage({ locale: 'ar', width: 360 });
    const context: BrowserContext = page.context();
    await web.signIn(page, 'field-outbox');
    await setUpOffline(page, 'ar');
    await openCapture(page, 'ar', siteId);
    await context.setOffline(true);
    const markings = ['CUT-01', 'CUT-02', 'CUT-03', 'CUT-04'];
    const photos = [await photo(3), await photo(4)];
    for (const [index, marking] of markings.entries()) {
      await describeItem(page, 'ar', marking);
      if (index < photos.length) {
        await page
          .getByTestId('photo-file-input')
          .setInputFiles({ name: `cut-${index}.png`, mimeType: 'image/png', buffer: photos[index]! });
        await page
          .getByTestId('upload')
          .filter({ hasText: `cut-${index}.png` })
          .getByText(say('ar', 'offline.photoQueued'))
          .waitFor();
      }
      await saveAndAnother(page, 'ar', marking);
    }
    assert.deepEqual(await page.evaluate(outboxKinds), { item: 4, photo: 2 });
    await goInApp(page, '/outbox');
    const entries = page.getByTestId('outbox-entry');
    await entries.nth(5).waitFor();

    // 1. The batch reaches the server, then the network goes before the answer comes back.
    let batchCut: () => void = () => undefined;
    const batchWasCut = new Promise<void>((resolve) => (batchCut = resolve));
    await context.route('**/api/v1/sync', async (route) => {
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
      batchCut();
    });
    await context.setOffline(false);
    await batchWasCut;
    await context.unroute('**/api/v1/sync');
    for (const marking of markings) assert.equal((await itemsWithMarking(marking)).length, 1, marking);
    // The device never heard back: everything is still listed, nothing was dropped.
    await page.getByTestId('outbox-status').waitFor();
    assert.deepEqual(await page.evaluate(outboxKinds), { item: 4, photo: 2 });
    assert.equal(await entries.count(), 6);

    // 2. Back online: the items are answered as already stored; the first photo's bytes reach the server and the
    // network goes again before the answer.
    let uploadCut: () => void = () => undefined;
    const uploadWasCut = new Promise<void>((resolve) => (uploadCut = resolve));
    const isUpload = (url: URL) => url.pathname.startsWith('/api/v1/uploads');
    let cuts = 0;
    await context.route(isUpload, async (route) => {
      if (route.request().method() !== 'PATCH' || cuts > 0) return route.continue();
      cuts += 1;
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
      uploadCut();
    });
    await context.setOffline(false);
    await uploadWasCut;
    await context.unroute(isUpload);
    // The outbox shows what is left: the two photos (the first is on the server, the device does not know yet).
    await page.waitForFunction(`(${outboxKinds}).then((kinds) => JSON.stringify(kinds) === '{"photo":2}')`);
    await page.locator('[data-testid="outbox-entry"]').nth(1).waitFor();
    assert.equal(await entries.count(), 2);
    await page.screenshot({ path: '/tmp/offline/cut-outbox-ar-360.png', fullPage: true });
    for (const marking of markings) assert.equal((await itemsWithMarking(marking)).length, 1, marking);

    // 3. Back online for good: the photo already on the server is recognised, the other is sent; once each.
    await context.setOffline(false);
    await page.getByText(say('ar', 'offline.outbox.empty')).waitFor({ timeout: 60_000 });
    const itemIds = (await Promise.all(markings.map(itemsWithMarking))).flat();
    assert.equal(itemIds.length, markings.length);
    const media = await web.db
      .selectFrom('media_links')
      .innerJoin('media', 'media.id', 'media_links.media_id')
      .select(['media.sha256', 'media_links.item_id'])
      .where('media_links.item_id', 'in', itemIds)
      .execute();
    assert.deepEqual(media.map((row) => row.sha256).sort(), photos.map(sha256).sort());
    const photoItems = await Promise.all(markings.slice(0, 2).map(itemsWithMarking));
    assert.deepEqual(media.map((row) => row.item_id).sort(), photoItems.flat().sort());
    assert.deepEqual(web.pageErrors, []);
  });
});
