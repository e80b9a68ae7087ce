// Database-independent: coordinate and digit parsing, Enter, carry-over and the validation errors are the web app's;
// the saves are the site and item requests (version check included) the API tests and record-edit.test.ts run on
// both databases.
// Browser tests of the capture forms: coordinates read as typed (and never dropped or invented), digits of any
// script, "save and add another like this", Enter, and every validation error at 360 px in Arabic with Save still
// in reach. Same harness as web.test.ts: the built app (web/dist) served by the real server, driven through
// Debian's Chromium. Needs `npm run build:web` first.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createSite, updateSite } from '../../src/features/sites/service.js';
import { buildApp } from '../../src/http/app.js';
import { defaultWebRoot } from '../../src/http/static.js';
import type { ApiApp } from '../../src/http/types.js';
import {
  createTestDatabase,
  createTestUser,
  testPassword,
  type TestDatabase,
} from '../../src/testing/test-database.js';

// As in web.test.ts (not imported from it: importing a test file would run its tests too).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const arabic = JSON.parse(fs.readFileSync(new URL('../../src/i18n/ar.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
/** An Arabic message, so the test finds what an Arabic reader sees. */
const ar = (key: string): string => {
  const message = arabic[key];
  assert.ok(message !== undefined, `ar.json has ${key}`);
  return message;
};

/** 36°21'04"N and 43°10'44"E in decimal degrees. */
const dmsLatitude = 36 + 21 / 60 + 4 / 3600;
const dmsLongitude = 43 + 10 / 60 + 44 / 3600;

function assertClose(actual: number | null | undefined, expected: number, what: string): void {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9,
    `${what}: ${actual} ≈ ${expected}`,
  );
}

/** The parsed value shown beside a coordinate field: "= 36.351111° N", the number isolated in its own direction. */
const reading = (degrees: string, hemisphere: string): RegExp =>
  new RegExp(`^= \u2068?${degrees.replace('.', '\\.')}°\u2069? ${hemisphere}$`);

/** The box of an element, failing when it has none (not rendered). */
async function boxOf(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await locator.boundingBox();
  assert.ok(box !== null, 'the element is rendered');
  return box;
}

/**
 * The page is no wider than the viewport, and `button` is inside the viewport and is what a tap at its centre
 * reaches (not covered by anything).
 */
async function assertReachable(page: Page, button: Locator, viewport: { width: number; height: number }) {
  const widths = await page.evaluate(() => {
    const root = (globalThis as { document?: { documentElement: { scrollWidth: number; clientWidth: number } } })
      .document!.documentElement;
    return { scroll: root.scrollWidth, client: root.clientWidth };
  });
  assert.ok(widths.scroll <= widths.client, `the page is not wider than the viewport (${widths.scroll} px)`);
  const box = await boxOf(button);
  assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `Save is inside the viewport width (${box.x})`);
  assert.ok(box.y >= 0 && box.y + box.height <= viewport.height, `Save is inside the viewport height (${box.y})`);
  const tapped = await button.evaluate(
    (element: {
      getBoundingClientRect: () => { x: number; y: number; width: number; height: number };
      ownerDocument: { elementFromPoint: (x: number, y: number) => { closest: (selector: string) => unknown } | null };
    }) => {
      const rect = element.getBoundingClientRect();
      const hit = element.ownerDocument.elementFromPoint(rect.x + rect.width / 2, rect.y + rect.height / 2);
      return hit !== null && hit.closest('button') === element;
    },
  );
  assert.ok(tapped, 'a tap on Save reaches Save');
}

/** Every field error is rendered inside the viewport width (long messages wrap). */
async function assertErrorsWrap(page: Page, viewportWidth: number): Promise<number> {
  const errors = page.locator('.field-error');
  const count = await errors.count();
  for (let index = 0; index < count; index += 1) {
    const box = await boxOf(errors.nth(index));
    assert.ok(box.x >= 0 && box.x + box.width <= viewportWidth + 0.5, `field error ${index} fits (${box.x})`);
  }
  return count;
}

describe('capture forms in a browser', () => {
  let test: TestDatabase | undefined;
  let app: ApiApp | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let baseUrl: string;
  let investigationId: string;
  let siteId: string;
  let owner: Actor;
  let dataDir: string | undefined;
  const pageErrors: string[] = [];
  const screenshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-capture-shots-'));

  const siteCount = async () =>
    Number(
      (
        await test!.db
          .selectFrom('sites')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('investigation_id', '=', investigationId)
          .executeTakeFirstOrThrow()
      ).count,
    );
  const itemCount = async () =>
    Number(
      (
        await test!.db
          .selectFrom('items')
          .select((eb) => eb.fn.countAll().as('count'))
          .where('investigation_id', '=', investigationId)
          .executeTakeFirstOrThrow()
      ).count,
    );
  const newItemPage = async (heading = 'Record an item') => {
    await page.goto(`${baseUrl}/investigations/${investigationId}/sites/${siteId}/items/new`);
    await page.getByRole('heading', { name: heading }).waitFor();
  };
  const newSiteForm = async () => {
    await page.goto(`${baseUrl}/investigations/${investigationId}/map`);
    await page.getByRole('button', { name: 'New site by coordinates' }).click();
    await page.getByRole('heading', { name: 'New site' }).waitFor();
  };

  before(async () => {
    if (!fs.existsSync(path.join(defaultWebRoot, 'index.html'))) {
      throw new Error(`The web app is not built (${defaultWebRoot} has no index.html): run npm run build:web`);
    }
    if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
    test = await createTestDatabase();
    owner = await createTestUser(test.db, 'capture-owner');
    investigationId = (await createInvestigation(test.db, owner, { title: 'Capture checks' })).id;
    siteId = (await createSite(test.db, owner, investigationId, { site_type: 'cache', name: 'Well house' })).id;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-capture-test-'));
    const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
    app = await buildApp({ db: test.db, config, logger: false });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(baseUrl);
    await page.getByLabel('Username').fill('capture-owner');
    await page.getByLabel('Password').fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your investigations' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await test?.close();
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers the map centre as a button, not as a value', async () => {
    await newSiteForm();
    assert.equal(await page.getByLabel('Latitude', { exact: true }).inputValue(), '');
    assert.equal(await page.getByLabel('Longitude', { exact: true }).inputValue(), '');
    await page.getByRole('button', { name: 'Use the map centre' }).click();
    assert.notEqual(await page.getByLabel('Latitude', { exact: true }).inputValue(), '');
    await page.getByTestId('latitude-reading').waitFor();
  });

  it('shows DMS, decimal-comma and Arabic-Indic coordinates in decimal degrees as they are typed', async () => {
    await newSiteForm();
    const latitude = page.getByLabel('Latitude', { exact: true });
    const longitude = page.getByLabel('Longitude', { exact: true });
    await latitude.fill('36°21\'04"N');
    await page
      .getByTestId('latitude-reading')
      .filter({ hasText: reading('36.351111', 'N') })
      .waitFor();
    await longitude.fill('43°10\'44"E');
    await page
      .getByTestId('longitude-reading')
      .filter({ hasText: reading('43.178889', 'E') })
      .waitFor();
    await latitude.fill('36,3399');
    await page
      .getByTestId('latitude-reading')
      .filter({ hasText: reading('36.3399', 'N') })
      .waitFor();
    await latitude.fill('٣٦٫٣٤١٢');
    await page
      .getByTestId('latitude-reading')
      .filter({ hasText: reading('36.3412', 'N') })
      .waitFor();
  });

  it('saves a site with the location typed', async () => {
    await newSiteForm();
    await page.getByLabel('Name', { exact: true }).fill('Typed location');
    await page.getByLabel('Latitude', { exact: true }).fill('٣٦٫٣٤١٢');
    await page.getByLabel('Longitude', { exact: true }).fill('43°10\'44"E');
    await page.getByLabel('Precision (metres)').fill('٢٥');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Site saved.').waitFor();
    const stored = await test!.db
      .selectFrom('sites')
      .select(['latitude', 'longitude', 'precision_m'])
      .where('name', '=', 'Typed location')
      .executeTakeFirstOrThrow();
    assertClose(stored.latitude, 36.3412, 'latitude');
    assertClose(stored.longitude, dmsLongitude, 'longitude');
    assert.equal(stored.precision_m, 25);
    assertClose(dmsLatitude, 36.351111111, 'the DMS latitude of the other case');
  });

  it('refuses an unreadable coordinate without sending anything', async () => {
    const before = await siteCount();
    await newSiteForm();
    await page.getByLabel('Name', { exact: true }).fill('Unreadable location');
    await page.getByLabel('Latitude', { exact: true }).fill('near the well');
    await page.getByLabel('Longitude', { exact: true }).fill('43.1789');
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Not saved: correct the fields marked.').waitFor();
    const latitudeField = page.locator('.field', { has: page.getByLabel('Latitude', { exact: true }) });
    await latitudeField.locator('.field-error').waitFor();
    assert.equal(await page.getByLabel('Latitude', { exact: true }).getAttribute('aria-invalid'), 'true');
    // One axis without the other is refused too, on the missing one.
    await page.getByLabel('Latitude', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save site' }).click();
    await latitudeField.getByText('Latitude and longitude go together: give both.').waitFor();
    assert.equal(await siteCount(), before);
  });

  it('fills the point and the precision from the device’s location', async () => {
    await context.grantPermissions(['geolocation'], { origin: baseUrl });
    await context.setGeolocation({ latitude: 36.34121, longitude: 43.17893, accuracy: 12.2 });
    await newSiteForm();
    await page.getByRole('button', { name: 'Use my location' }).click();
    await page.getByText('accurate to 13 m').waitFor();
    assert.equal(await page.getByLabel('Latitude', { exact: true }).inputValue(), '36.34121');
    assert.equal(await page.getByLabel('Longitude', { exact: true }).inputValue(), '43.17893');
    assert.equal(await page.getByLabel('Precision (metres)').inputValue(), '13');
    await context.clearPermissions();
  });

  it('corrects a site’s location, saying when someone changed it meanwhile', async () => {
    await page.goto(`${baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    await page.getByRole('button', { name: 'Edit the site' }).click();
    await page.getByLabel('Latitude', { exact: true }).fill('36.5');
    await page.getByLabel('Longitude', { exact: true }).fill('43.25');
    await page.getByLabel('Precision (metres)').fill('40');
    // Someone else saves first: both versions are shown, nothing is overwritten.
    await updateSite(test!.db, owner, siteId, { version: 1, latitude: 10, longitude: 20, precision_m: 5 });
    await page.getByRole('button', { name: 'Save changes' }).click();
    const notice = page.getByTestId('stale-edit');
    await notice.locator('tr[data-differs="true"]', { hasText: 'Latitude' }).getByText('10', { exact: true }).waitFor();
    // The typed values stay; applying them is checked against the version now shown.
    assert.equal(await page.getByLabel('Latitude', { exact: true }).inputValue(), '36.5');
    await notice.getByRole('button', { name: 'Apply my changes to the current version' }).click();
    await page.getByText('Changes saved.').waitFor();
    const stored = await test!.db
      .selectFrom('sites')
      .select(['latitude', 'longitude', 'precision_m', 'version'])
      .where('id', '=', siteId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, { latitude: 36.5, longitude: 43.25, precision_m: 40, version: 3 });
    await page.getByText('36.500000, 43.250000').waitFor();
  });

  it('stores a quantity typed in Arabic-Indic digits', async () => {
    await newItemPage();
    await page.getByLabel('Category').selectOption({ label: 'Cartridges' });
    await page.getByLabel('Quantity').fill('٤٠');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Markings' }).waitFor();
    const stored = await test!.db
      .selectFrom('items')
      .select('quantity')
      .where('category', '=', 'cartridges')
      .executeTakeFirstOrThrow();
    assert.equal(stored.quantity, 40);
  });

  it('does not save when Enter is pressed in Model; Enter in a marking goes to the next one', async () => {
    const before = await itemCount();
    await newItemPage();
    await page.getByLabel('Category').selectOption({ label: 'Mortar bomb' });
    await page.getByLabel('Model', { exact: true }).fill('82 mm');
    await page.getByLabel('Model', { exact: true }).press('Enter');
    await page.getByLabel('Quantity').press('Enter');
    await page.getByLabel('Marking 1', { exact: true }).fill('KL-0471');
    await page.getByLabel('Marking 1', { exact: true }).press('Enter');
    await page.getByLabel('Marking 2', { exact: true }).waitFor();
    assert.equal(await itemCount(), before);
    await page.getByRole('heading', { name: 'Record an item' }).waitFor();
  });

  it('carries over what a team repeats, marked, and clears model and hazard state on a category change', async () => {
    await newItemPage();
    await page.getByLabel('Category').selectOption({ label: 'Mortar bomb' });
    await page.getByLabel('Model', { exact: true }).fill('M-57');
    await page.getByLabel('Condition').selectOption({ label: 'Corroded' });
    await page.getByLabel('Fuze fitted').selectOption({ label: 'Yes' });
    await page.getByLabel('Safety device fitted').selectOption({ label: 'No' });
    await page.getByLabel('Marking 1', { exact: true }).fill('R-17/4');
    await page.getByRole('button', { name: 'Save and add another like this' }).click();
    const status = page.getByTestId('save-status');
    await status.getByText('Item saved.').waitFor();
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    // The saved values are there, each marked (the badge is part of the label, for screen readers too).
    const model = page.getByLabel('Model carried over');
    assert.equal(await model.inputValue(), 'M-57');
    assert.equal(await page.getByLabel('Fuze fitted carried over').inputValue(), 'yes');
    assert.equal(await page.getByLabel('Condition carried over').inputValue(), 'corroded');
    assert.equal(await page.getByLabel('Marking 1', { exact: true }).inputValue(), '');
    // A new category: the carried model and hazard state go, the repeated values stay.
    await page.getByLabel('Category carried over').selectOption({ label: 'Launcher' });
    await page.getByText('the model and hazard state carried over from the previous item were cleared').waitFor();
    assert.equal(await page.getByLabel('Model', { exact: true }).inputValue(), '');
    assert.equal(await page.getByLabel('Fuze fitted', { exact: true }).inputValue(), '');
    assert.equal(await page.getByLabel('Safety device fitted', { exact: true }).inputValue(), '');
    assert.equal(await page.getByLabel('Condition carried over').inputValue(), 'corroded');
    // Touching a field takes its mark away.
    await page.getByLabel('Condition carried over').selectOption({ label: 'Good' });
    assert.equal(await page.getByLabel('Condition', { exact: true }).inputValue(), 'good');
  });

  it('shows every validation error of the item form at 360 px in Arabic, with Save in reach', async () => {
    const viewport = { width: 360, height: 740 };
    await page.setViewportSize(viewport);
    await page.evaluate(() =>
      (globalThis as { localStorage?: { setItem: (key: string, value: string) => void } }).localStorage!.setItem(
        'armtrace.locale',
        'ar',
      ),
    );
    await newItemPage(ar('capture.title'));
    const before = await itemCount();
    // Bad values everywhere the server checks them (no category, quantity 0, values too long), unbroken text.
    await page.getByLabel(ar('item.model'), { exact: true }).fill('M'.repeat(201));
    await page.getByLabel(ar('item.quantity')).fill('٠');
    await page.getByLabel(ar('item.externalRef')).fill('REF-'.repeat(40));
    await page.getByLabel(ar('item.tags')).fill('t'.repeat(101));
    await page.getByLabel(ar('capture.markingText').replace('{number}', '1'), { exact: true }).fill('X'.repeat(501));
    await page.getByLabel(ar('capture.markingPosition')).fill('P'.repeat(201));
    await page.getByLabel(ar('item.observations')).fill('O'.repeat(20_001));
    const save = page.getByRole('button', { name: ar('capture.save'), exact: true });
    await save.click();
    await page.getByTestId('save-status').getByText(ar('capture.fixFields')).waitFor();
    const errorCount = await assertErrorsWrap(page, viewport.width);
    assert.ok(errorCount >= 8, `every bad field shows its error (${errorCount})`);
    await assertReachable(page, save, viewport);
    await page.screenshot({ path: path.join(screenshotDir, 'item-errors-ar-360.png') });
    // The first field at fault is one tap away from the save bar.
    await page
      .getByTestId('save-status')
      .getByRole('button', { name: ar('capture.goToFirstError') })
      .click();
    assert.equal(await page.locator(':focus').getAttribute('aria-invalid'), 'true');
    await page.screenshot({ path: path.join(screenshotDir, 'item-errors-ar-360-top.png') });
    // A quantity that is not a whole number is refused before sending.
    await page.getByLabel(ar('item.quantity')).fill('٤ قطع');
    await save.click();
    await page.getByText(ar('capture.quantityUnreadable')).waitFor();
    await assertReachable(page, save, viewport);
    assert.equal(await itemCount(), before);
  });

  it('shows every validation error of the site forms at 360 px in Arabic, with Save in reach', async () => {
    const viewport = { width: 360, height: 740 };
    const before = await siteCount();
    await page.goto(`${baseUrl}/investigations/${investigationId}/map`);
    await page.getByRole('button', { name: ar('map.newSiteByCoordinates') }).click();
    const save = page.getByRole('button', { name: ar('map.saveSite') });
    // Refused by the server: no name, a reference too long.
    await page.getByLabel(ar('site.externalRef')).fill('SITE-'.repeat(40));
    await page.getByLabel(ar('site.latitude'), { exact: true }).fill('36.3412');
    await page.getByLabel(ar('site.longitude'), { exact: true }).fill('43.1789');
    await save.click();
    await page.locator('.new-site-form .field-error').nth(1).waitFor();
    await assertErrorsWrap(page, viewport.width);
    await assertReachable(page, save, viewport);
    await page.screenshot({ path: path.join(screenshotDir, 'site-server-errors-ar-360.png') });
    // Refused here: unreadable, out of range, a precision that is not a number, a pasted pair cut short.
    await page.getByLabel(ar('location.pair')).fill('36.3412');
    await page.getByLabel(ar('site.latitude'), { exact: true }).fill('شمال البئر');
    await page.getByLabel(ar('site.longitude'), { exact: true }).fill('190');
    await page.getByLabel(ar('site.precision')).fill('نحو عشرين');
    await save.click();
    await page.getByText(ar('location.notSaved')).first().waitFor();
    await page.getByText(ar('location.problem.coordinateUnreadable')).first().waitFor();
    await page.getByText(ar('location.problem.precisionUnreadable')).waitFor();
    const errorCount = await assertErrorsWrap(page, viewport.width);
    assert.ok(errorCount >= 4, `each location field shows its error (${errorCount})`);
    await assertReachable(page, save, viewport);
    await page.screenshot({ path: path.join(screenshotDir, 'site-local-errors-ar-360.png') });
    assert.equal(await siteCount(), before);

    // The correction form on the site page.
    await page.goto(`${baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    await page.getByRole('button', { name: ar('edit.site.button') }).click();
    await page.getByLabel(ar('site.latitude'), { exact: true }).fill('');
    await page.getByLabel(ar('site.longitude'), { exact: true }).fill('٤٣٫١٧');
    const saveLocation = page.getByRole('button', { name: ar('edit.save') });
    await saveLocation.click();
    await page.getByText(ar('location.problem.coordinatePairIncomplete')).waitFor();
    await assertErrorsWrap(page, viewport.width);
    await assertReachable(page, saveLocation, viewport);
    await page.screenshot({ path: path.join(screenshotDir, 'site-correction-ar-360.png') });
    console.log(`screenshots in ${screenshotDir}`);
  });

  it('raised no page error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
