// Browser tests of the web app: the built app (web/dist) served by the real server in-process, driven through
// Debian's Chromium with playwright-core (test/e2e/harness.ts, which fails loudly without `npm run build:web` or
// /usr/bin/chromium).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import type { Actor } from '../../src/features/access/schema.js';
import { createActor } from '../../src/features/actors/service.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createTraceRequest } from '../../src/features/trace-requests/service.js';
import { createTestUser, testPassword } from '../../src/testing/test-database.js';
import { startWebHarness, type WebHarness } from './harness.js';

/** A link of the main navigation (pages also link to each other in their breadcrumbs). */
function navLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/**
 * A small PNG photo stand-in: a few coloured shapes, so its perceptual hash
 * has something to describe; `width` makes a resized copy of the same picture.
 */
async function testPhoto(width = 320): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
    <rect width="320" height="240" fill="#7a8c5a"/>
    <rect x="30" y="40" width="150" height="90" fill="#3b3b2f"/>
    <circle cx="240" cy="160" r="55" fill="#d9c9a3"/>
    <rect x="60" y="170" width="90" height="40" fill="#a23b2c"/>
  </svg>`;
  return sharp(Buffer.from(svg)).resize({ width }).png().toBuffer();
}

/**
 * Waits until `field` has the keyboard focus. The capture form moves the focus
 * in the animation frame after React renders, so the field can be visible a
 * moment before it is focused.
 */
async function waitForFocus(page: Page, field: Locator): Promise<void> {
  const id = await field.getAttribute('id');
  assert.ok(id !== null, 'the field has an id');
  try {
    await page.waitForFunction(
      // Runs in the page, where `document` exists; this file is type-checked without the DOM library.
      (expected) =>
        (globalThis as { document?: { activeElement: { id: string } | null } }).document?.activeElement?.id ===
        expected,
      id,
      { timeout: 5000 },
    );
  } catch (error) {
    // Say which element has the focus instead.
    assert.equal(await page.locator(':focus').getAttribute('id'), id);
    throw error;
  }
}

/** Waits until an <img> has loaded real pixels (a broken image has a natural width of 0). */
async function waitForLoadedImage(image: Locator): Promise<void> {
  await image.waitFor();
  for (let attempt = 0; attempt < 200; attempt += 1) {
    // No named functions in here: the code runs in the page, without the helpers tsx adds.
    const state = await image.evaluate((element: { complete: boolean; naturalWidth: number; src: string }) => ({
      complete: element.complete,
      width: element.naturalWidth,
      src: element.src,
    }));
    if (state.complete) {
      assert.ok(state.width > 0, `the image ${state.src} loads`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('The image did not finish loading');
}

/** A marking's cell on the item page: its text, followed by its sensitivity badge. */
function markingCell(page: Page, marking: string): Locator {
  return page.getByRole('cell', { name: `${marking} Sensitivity: Internal`, exact: true });
}

describe('web app in a browser', () => {
  // Undefined until before() got that far, so after() cleans up only what exists.
  let web: WebHarness | undefined;
  let page: Page;
  let baseUrl: string;
  let investigationId: string;
  let owner: Actor;

  before(async () => {
    // The features' jobs run in the harness's process, as `serve` runs them: the upload's derivatives job makes
    // the thumbnails.
    web = await startWebHarness();
    baseUrl = web.baseUrl;
    owner = await createTestUser(web.db, 'field-owner');
    const investigation = await createInvestigation(web.db, owner, { title: 'Northern caches 2024' });
    investigationId = investigation.id;
    // The app must work offline: any request to another host is recorded (and refused).
    page = await web.newPage({ refuseOtherHosts: true });
  });

  after(async () => {
    await web?.close();
  });

  it('serves the app for its own paths and problem+json for unknown API paths', async () => {
    const appPath = await fetch(`${baseUrl}/investigations/${investigationId}/map`);
    assert.equal(appPath.status, 200);
    assert.match(appPath.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(appPath.headers.get('cache-control'), 'no-cache');
    assert.match(appPath.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await appPath.text();
    assert.match(html, /<div id="root">/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(script, 'index.html loads a bundled script');
    const asset = await fetch(`${baseUrl}${script}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${baseUrl}/assets/missing.js`)).status, 404);
    const unknownApi = await fetch(`${baseUrl}/api/v1/no-such-route`);
    assert.equal(unknownApi.status, 404);
    assert.match(unknownApi.headers.get('content-type') ?? '', /application\/problem\+json/);
  });

  it('signs in and shows the investigation with the user’s role', async () => {
    await page.goto(baseUrl);
    await page.getByLabel('Username').fill('field-owner');
    await page.getByLabel('Password').fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your investigations' }).waitFor();
    await page.getByRole('link', { name: 'Northern caches 2024' }).click();
    await page.getByRole('heading', { name: 'Hazard list' }).waitFor();
    await page.locator('.role-badge', { hasText: 'Role: owner' }).waitFor();
    const switcher = page.getByLabel('Investigation');
    assert.equal(await switcher.inputValue(), investigationId);
  });

  it('creates a site by clicking on the map', async () => {
    await navLink(page, 'Map').click();
    const map = page.getByTestId('map');
    await map.waitFor();
    // The basemap is the bundled Natural Earth file, drawn as SVG paths.
    await page.locator('.leaflet-overlay-pane path').nth(100).waitFor({ state: 'attached' });
    await map.click({ position: { x: 420, y: 260 } });
    await page.getByRole('heading', { name: 'New site' }).waitFor();
    assert.notEqual(await page.getByLabel('Latitude').inputValue(), '');
    await page.getByLabel('Name', { exact: true }).fill('Farm store مخزن المزرعة');
    await page.getByLabel('Site type', { exact: true }).selectOption({ label: 'Cache' });
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByText('Site saved.').waitFor();
    await page.locator('.leaflet-marker-icon .site-dot').first().waitFor();
    await page.getByRole('link', { name: 'Open the site' }).first().click();
    await page.getByRole('heading', { name: 'Farm store مخزن المزرعة' }).waitFor();
  });

  it('records an item with two markings and a photo, showing server errors beside their field', async () => {
    await page.getByRole('link', { name: 'Add an item' }).click();
    await page.getByRole('heading', { name: 'Record an item' }).waitFor();
    // Keyboard first: the category has the focus.
    await waitForFocus(page, page.getByLabel('Category'));
    await page.getByLabel('Category').selectOption({ label: 'Mortar bomb' });
    await page.getByLabel('Model', { exact: true }).fill('82 mm, type not identified');
    await page.getByLabel('Quantity').fill('0');

    // First marking: two Cyrillic letters from the palette, the rest typed.
    const first = page.getByLabel('Marking 1', { exact: true });
    await first.click();
    await page.getByRole('button', { name: 'Insert З' }).click();
    await page.getByRole('button', { name: 'Insert Д' }).click();
    await page.keyboard.type('-4517-88');
    assert.equal(await first.inputValue(), 'ЗД-4517-88');
    // Enter in a marking starts the next one.
    await page.keyboard.press('Enter');
    const second = page.getByLabel('Marking 2', { exact: true });
    await second.waitFor();
    await waitForFocus(page, second);
    await page.keyboard.type('LOT 12-84 KRB');
    await page.getByTestId('marking-row').nth(1).getByLabel('Kind').selectOption({ label: 'Lot' });

    // Quantity 0 is refused by the server; the message appears next to the quantity.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const quantityField = page.locator('.field', { has: page.getByLabel('Quantity') });
    await quantityField.locator('.field-error').waitFor();
    assert.equal(await page.getByLabel('Quantity').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Quantity').fill('3');

    // A photo from the phone camera input: sent at once, with progress, and attached when the item is saved.
    await page.getByTestId('photo-camera-input').setInputFiles({
      name: 'crate-front.png',
      mimeType: 'image/png',
      buffer: await testPhoto(),
    });
    const upload = page.getByTestId('upload').filter({ hasText: 'crate-front.png' });
    await upload.getByText('Uploaded').waitFor();
    await waitForLoadedImage(upload.locator('img'));

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Markings' }).waitFor();
    await markingCell(page, 'ЗД-4517-88').waitFor();
    await markingCell(page, 'LOT 12-84 KRB').waitFor();
    const card = page.getByTestId('media-card').filter({ hasText: 'crate-front.png' });
    await waitForLoadedImage(card.getByRole('img', { name: 'Photo crate-front.png' }));
  });

  it('uploads a photo on the item page and finds the similar one', async () => {
    // A smaller copy of the same picture: stored as a file of its own, recognised as similar.
    await page.getByTestId('photo-file-input').setInputFiles({
      name: 'crate-front-small.png',
      mimeType: 'image/png',
      buffer: await testPhoto(200),
    });
    const card = page.getByTestId('media-card').filter({ hasText: 'crate-front-small.png' });
    await waitForLoadedImage(card.getByRole('img', { name: 'Photo crate-front-small.png' }));
    const original = card.getByRole('link', { name: 'Download the original' });
    const response = await page.request.get(new URL((await original.getAttribute('href'))!, baseUrl).toString());
    assert.equal(response.status(), 200);
    assert.deepEqual(await response.body(), await testPhoto(200));
    await card.getByRole('button', { name: 'Find similar images' }).click();
    await card.getByRole('heading', { name: 'Similar images (1)' }).waitFor();
  });

  it('takes the item off a trace request that covered it in error', async () => {
    const item = await web!.db
      .selectFrom('items')
      .select('id')
      .where('investigation_id', '=', investigationId)
      .executeTakeFirstOrThrow();
    const factory = await createActor(web!.db, owner, investigationId, {
      actor_type: 'manufacturer',
      name: 'Factory 17',
    });
    await createTraceRequest(web!.db, owner, investigationId, {
      addressee_id: factory.id,
      subject: 'Mortar bombs from the wrong crate',
      item_ids: [item.id],
    });
    await page.reload();
    const request = page.getByTestId('trace-request').filter({ hasText: 'Mortar bombs from the wrong crate' });
    await request.waitFor();
    page.once('dialog', (dialog) => void dialog.accept());
    await request.getByRole('button', { name: 'Remove this item from the request' }).click();
    await request.waitFor({ state: 'detached' });
  });

  it('shows where a marking being typed was seen before', async () => {
    await page.locator('.breadcrumb').getByRole('link', { name: 'Farm store مخزن المزرعة' }).click();
    await page.getByRole('link', { name: 'Add an item' }).click();
    await page.getByLabel('Category').selectOption({ label: 'Mortar bomb' });
    await page.getByLabel('Marking 1', { exact: true }).fill('LOT 12-84 KR');
    const seen = page.getByTestId('seen-elsewhere');
    await seen.getByRole('link', { name: /Mortar bomb · 82 mm/ }).waitFor();
    await seen.getByText('LOT 12-84 KRB').waitFor();
  });

  it('finds the item by a misspelled marking', async () => {
    await navLink(page, 'Search').click();
    await page.getByLabel('Marking, site or item').fill('LOT 12-48 KRB');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const match = page.getByRole('link', { name: 'LOT 12-84 KRB' });
    await match.waitFor();
    // Narrowed to serial numbers, the lot is not shown; to lots in every investigation, it is.
    await page.getByLabel('Marking kind').selectOption({ label: 'Serial number' });
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No marking comes close.').waitFor();
    await page.getByLabel('Marking kind').selectOption({ label: 'Lot' });
    await page.getByLabel('Markings in every investigation I can read').check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('heading', { name: /^Markings in every investigation/ }).waitFor();
    assert.match(page.url(), /[?&]kind=lot\b/);
    assert.match(page.url(), /[?&]scope=all\b/);
    await match.click();
    await markingCell(page, 'ЗД-4517-88').waitFor();
  });

  it('lists the item on the hazard list', async () => {
    await navLink(page, 'Overview').click();
    const hazards = page.locator('.section-hazards');
    await hazards.getByRole('link', { name: /Mortar bomb/ }).waitFor();
    await hazards.getByText('Unknown').waitFor();
  });

  it('shows the analysis page with its charts and the report link', async () => {
    await navLink(page, 'Analysis').click();
    await page.getByRole('heading', { name: 'Analysis', level: 1 }).waitFor();
    const categories = page.getByTestId('chart-categories');
    const chart = categories.getByRole('img');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /Mortar bomb: 1 \(100%\)/);
    await categories.locator('.bar-segment').first().waitFor();
    // The same figures as a table.
    await categories.getByText('Show the figures as a table').click();
    await categories.getByRole('rowheader', { name: 'Mortar bomb' }).waitFor();
    await page.getByTestId('chart-production-countries').getByText('Not established').first().waitFor();
    const report = page.getByRole('link', { name: 'Open the report (HTML)' });
    const reportResponse = await page.request.get(new URL((await report.getAttribute('href'))!, baseUrl).toString());
    assert.equal(reportResponse.status(), 200);
    assert.match(reportResponse.headers()['content-type'] ?? '', /text\/html/);
    await navLink(page, 'Overview').click();
    await page.getByRole('heading', { name: 'Hazard list' }).waitFor();
  });

  it('switches to Arabic, right to left', async () => {
    await page.getByLabel('Language').selectOption('ar');
    await page.getByRole('heading', { name: 'قائمة المخاطر' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'قائمة المخاطر' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');

    // Charts mirror too: bars grow from the right edge of their track.
    await page
      .getByRole('navigation', { name: 'الرئيسية' })
      .getByRole('link', { name: 'التحليل', exact: true })
      .click();
    const row = page.getByTestId('chart-categories').locator('.bar-row').first();
    await row.waitFor();
    const track = (await row.locator('.bar-track').boundingBox())!;
    const bar = (await row.locator('.bar').boundingBox())!;
    assert.ok(Math.abs(track.x + track.width - (bar.x + bar.width)) < 1, 'the bar starts at the right');
    assert.ok((await row.locator('.bar-label').boundingBox())!.x > track.x, 'the label is to the right of the bar');
  });

  it('made no request to any other host and raised no page error', () => {
    assert.deepEqual(web!.foreignRequests, []);
    assert.deepEqual(web!.pageErrors, []);
  });
});
