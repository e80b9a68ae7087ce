// Browser tests of the web app: the built app (web/dist) served by the real
// server in-process, driven through Debian's Chromium with playwright-core.
// Needs `npm run build:web` first and /usr/bin/chromium (apt-get install -y chromium).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { buildApp } from '../../src/http/app.js';
import { defaultWebRoot } from '../../src/http/static.js';
import type { ApiApp } from '../../src/http/types.js';
import {
  createTestDatabase,
  createTestUser,
  testPassword,
  type TestDatabase,
} from '../../src/testing/test-database.js';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A link of the main navigation (pages also link to each other in their breadcrumbs). */
function navLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

function requireBuiltApp(): void {
  if (!fs.existsSync(path.join(defaultWebRoot, 'index.html'))) {
    throw new Error(`The web app is not built (${defaultWebRoot} has no index.html): run npm run build:web`);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
}

describe('web app in a browser', () => {
  // Undefined until before() got that far, so after() cleans up only what exists.
  let test: TestDatabase | undefined;
  let app: ApiApp | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let baseUrl: string;
  let investigationId: string;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    requireBuiltApp();
    test = await createTestDatabase();
    const db = test.db;
    const owner = await createTestUser(db, 'field-owner');
    const investigation = await createInvestigation(db, owner, { title: 'Northern caches 2024' });
    investigationId = investigation.id;
    const config = loadConfig({ ARMTRACE_DATA: '/nonexistent-armtrace-test', ARMTRACE_LOG_LEVEL: 'silent' });
    app = await buildApp({ db, config, logger: false });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    const appHost = new URL(baseUrl).host;

    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // The app must work offline: any request to another host is recorded (and refused).
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.host !== appHost) {
        foreignRequests.push(url.toString());
        await route.abort();
        return;
      }
      await route.continue();
    });
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol.startsWith('http') && url.host !== appHost) foreignRequests.push(url.toString());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await test?.close();
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

  it('records an item with two markings, showing server errors beside their field', async () => {
    await page.getByRole('link', { name: 'Add an item' }).click();
    await page.getByRole('heading', { name: 'Record an item' }).waitFor();
    // Keyboard first: the category has the focus.
    assert.equal(await page.locator(':focus').getAttribute('id'), await page.getByLabel('Category').getAttribute('id'));
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
    assert.equal(await page.locator(':focus').getAttribute('id'), await second.getAttribute('id'));
    await page.keyboard.type('LOT 12-84 KRB');
    await page.getByTestId('marking-row').nth(1).getByLabel('Kind').selectOption({ label: 'Lot' });

    // Quantity 0 is refused by the server; the message appears next to the quantity.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const quantityField = page.locator('.field', { has: page.getByLabel('Quantity') });
    await quantityField.locator('.field-error').waitFor();
    assert.equal(await page.getByLabel('Quantity').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Quantity').fill('3');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Markings' }).waitFor();
    await page.getByRole('cell', { name: 'ЗД-4517-88' }).waitFor();
    await page.getByRole('cell', { name: 'LOT 12-84 KRB' }).waitFor();
  });

  it('finds the item by a misspelled marking', async () => {
    await navLink(page, 'Search').click();
    await page.getByLabel('Marking, site or item').fill('LOT 12-48 KRB');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const match = page.getByRole('link', { name: 'LOT 12-84 KRB' });
    await match.waitFor();
    await match.click();
    await page.getByRole('cell', { name: 'ЗД-4517-88' }).waitFor();
  });

  it('lists the item on the hazard list', async () => {
    await navLink(page, 'Overview').click();
    const hazards = page.locator('.section-hazards');
    await hazards.getByRole('link', { name: /Mortar bomb/ }).waitFor();
    await hazards.getByText('Unknown').waitFor();
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
  });

  it('made no request to any other host and raised no page error', () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(pageErrors, []);
  });
});
