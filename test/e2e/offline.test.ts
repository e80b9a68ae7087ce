// Offline capture in a real browser (issue #10, "Done when"): the built app served by the real server in-process,
// Debian's Chromium with a persistent profile (so a "browser restart" is a real one), playwright-core.
// Needs `npm run build:web` first and /usr/bin/chromium.
//
// Load once → offline → reload: the app opens; a site by DMS coordinates, 20 items with markings and 5 photos,
// all offline; the browser closed and the profile reopened: the outbox is still there and nothing of it is
// readable in IndexedDB; online: everything on the server exactly once with matching hashes; the server stopped in
// the middle of a sync and restarted on the same port and database: nothing created twice; an offline correction
// of a record changed on the server meanwhile: the conflict is shown and nothing is overwritten.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import sharp from 'sharp';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { getItem, setDisposalStatus } from '../../src/features/items/service.js';
import { buildApp } from '../../src/http/app.js';
import { defaultWebRoot } from '../../src/http/static.js';
import type { ApiApp } from '../../src/http/types.js';
import { parseCoordinate } from '../../src/parsing/coordinates.js';
import {
  createTestDatabase,
  createTestUser,
  testPassword,
  type TestDatabase,
} from '../../src/testing/test-database.js';

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

const passphrase = 'dusty road north 2024';
const siteName = 'Offline depot مستودع';
const latitudeText = `36°21'04"N`;
const longitudeText = `43°10'44"E`;
const itemCount = 20;
const photoCount = 5;
const markingOf = (index: number) => `OFFLN-${String(index).padStart(2, '0')}-KL`;

/** A distinct small PNG per index, so each has its own hash. */
async function photo(index: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
    <rect width="320" height="240" fill="#7a8c5a"/>
    <rect x="${20 + index * 30}" y="40" width="120" height="90" fill="#3b3b2f"/>
    <circle cx="240" cy="${120 + index * 10}" r="45" fill="#d9c9a3"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Everything IndexedDB holds for the app, as text: strings as they are, binary as UTF-8 and Latin-1. Passed as a
 * string so it runs in the page exactly as written (no helpers added by the test's compiler).
 */
const dumpIndexedDb = `(async () => {
  const names = (await indexedDB.databases()).map((d) => d.name);
  const out = [];
  const describe = (value) => {
    if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
      const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      out.push(new TextDecoder('utf-8').decode(bytes));
      out.push(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    } else if (Array.isArray(value)) value.forEach(describe);
    else if (value !== null && typeof value === 'object') Object.entries(value).forEach(([k, v]) => { out.push(k); describe(v); });
    else out.push(String(value));
  };
  for (const name of names) {
    const db = await new Promise((resolve, reject) => { const r = indexedDB.open(name); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise((resolve, reject) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      out.push(name + '/' + store + ':' + rows.length);
      describe(rows);
    }
    db.close();
  }
  return out.join('\\n');
})()`;

function requireBuiltApp(): void {
  if (!fs.existsSync(path.join(defaultWebRoot, 'index.html')) || !fs.existsSync(path.join(defaultWebRoot, 'sw.js'))) {
    throw new Error(`The web app is not built with its service worker (${defaultWebRoot}): run npm run build:web`);
  }
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
}

describe('offline capture in a browser', () => {
  let test: TestDatabase | undefined;
  let app: ApiApp | undefined;
  let config: Config;
  let context: BrowserContext | undefined;
  let page: Page;
  let baseUrl: string;
  let port: number;
  let investigationId: string;
  let owner: Actor;
  let dataDir: string | undefined;
  let profileDir: string | undefined;
  let siteId: string;
  const pageErrors: string[] = [];
  const photos: Buffer[] = [];

  async function startServer(onPort = 0): Promise<void> {
    app = await buildApp({ db: test!.db, config, logger: false });
    baseUrl = await app.listen({ port: onPort, host: '127.0.0.1' });
    port = Number(new URL(baseUrl).port);
  }

  async function stopServer(): Promise<void> {
    const running = app;
    app = undefined;
    await running?.close();
  }

  async function openBrowser(offline: boolean): Promise<void> {
    context = await chromium.launchPersistentContext(profileDir!, {
      executablePath: chromiumPath,
      args: chromiumArgs,
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      offline,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }

  /** Navigates inside the running app (no reload: the key stays in memory). */
  async function goInApp(to: string): Promise<void> {
    await page.evaluate(
      `history.pushState(null, '', ${JSON.stringify(to)}); dispatchEvent(new PopStateEvent('popstate'))`,
    );
  }

  async function unlock(): Promise<void> {
    await page.getByRole('heading', { name: 'Unlock offline records' }).waitFor();
    await page.getByLabel('Offline passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  }

  async function waitUntilNothingWaits(): Promise<void> {
    await goInApp('/outbox');
    await page.getByText('Nothing is waiting.').waitFor({ timeout: 120_000 });
  }

  async function recordItem(index: number, withPhoto: boolean): Promise<void> {
    await page.getByLabel('Category').selectOption({ label: 'Small arm' });
    await page.getByLabel('Marking 1', { exact: true }).fill(markingOf(index));
    if (withPhoto) {
      await page.getByTestId('photo-camera-input').setInputFiles({
        name: `offline-photo-${index}.png`,
        mimeType: 'image/png',
        buffer: photos[index]!,
      });
      await page
        .getByTestId('upload')
        .filter({ hasText: `offline-photo-${index}.png` })
        .getByText('Kept on this device')
        .waitFor();
    }
    await page.getByRole('button', { name: 'Save and add another like this' }).click();
    await page.getByRole('link', { name: new RegExp(markingOf(index)) }).waitFor();
  }

  before(async () => {
    requireBuiltApp();
    test = await createTestDatabase();
    owner = await createTestUser(test.db, 'field-offline');
    investigationId = (await createInvestigation(test.db, owner, { title: 'Offline caches 2024' })).id;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-offline-test-'));
    profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-offline-profile-'));
    config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
    for (let index = 0; index < photoCount; index += 1) photos.push(await photo(index));
    await startServer();
  });

  after(async () => {
    await context?.close();
    await stopServer();
    await test?.close();
    for (const dir of [dataDir, profileDir]) if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens with no network after one visit', async () => {
    await openBrowser(false);
    await page.goto(baseUrl);
    await page.getByLabel('Username').fill('field-offline');
    await page.getByLabel('Password').fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your investigations' }).waitFor();
    // Offline use is set up once, with a passphrase that never leaves the device.
    await goInApp('/outbox');
    await page.getByLabel('Offline passphrase').fill(passphrase);
    await page.getByLabel('Repeat the passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Set up offline use' }).click();
    await page.getByText('Offline use is set up on this device.').waitFor();
    // The pages capture needs are read once online (and kept, encrypted).
    await goInApp(`/investigations/${investigationId}/map`);
    await page.getByTestId('map').waitFor();
    await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 30_000 });

    await context!.setOffline(true);
    await page.reload();
    await unlock();
    await page.getByTestId('map').waitFor();
    await page.getByTestId('outbox-status').getByText('Offline').waitFor();
  });

  it('records a site by DMS coordinates, 20 items with markings and 5 photos with no network', async () => {
    const map = page.getByTestId('map');
    await page.locator('.leaflet-overlay-pane path').nth(50).waitFor({ state: 'attached' });
    await map.click({ position: { x: 420, y: 260 } });
    await page.getByRole('heading', { name: 'New site' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill(siteName);
    await page.getByLabel('Latitude').fill(latitudeText);
    await page.getByLabel('Longitude').fill(longitudeText);
    await page.getByRole('button', { name: 'Save site' }).click();
    await page.getByRole('link', { name: 'Open the site' }).first().click();
    await page.getByRole('heading', { name: siteName }).waitFor();
    siteId = new URL(page.url()).pathname.split('/').at(-1)!;

    await page.getByRole('link', { name: 'Add an item' }).click();
    await page.getByRole('heading', { name: 'Record an item' }).waitFor();
    for (let index = 0; index < itemCount; index += 1) await recordItem(index, index < photoCount);
    await page.getByTestId('outbox-status').getByText('1 site, 20 items, 5 photos not yet sent').waitFor();
  });

  it('keeps the outbox, encrypted, across a browser restart', async () => {
    await context!.close();
    await openBrowser(true);
    await page.goto(baseUrl);
    await page.getByRole('heading', { name: 'Unlock offline records' }).waitFor();
    await page.getByText('1 site, 20 items, 5 photos not yet sent').waitFor();
    const stored = await page.evaluate<string>(dumpIndexedDb);
    assert.match(stored, /armtrace-offline\/outbox:26/);
    for (const secret of [
      siteName,
      'مستودع',
      markingOf(0),
      markingOf(19),
      'offline-photo-0',
      '36.35',
      '43.17',
      'Small arm',
      'small_arm',
    ])
      assert.ok(!stored.includes(secret), `"${secret}" is not readable in IndexedDB`);
    // The service worker keeps the app's files only: no API answer is in its caches.
    const cached = await page.evaluate<string[]>(`(async () => {
      const urls = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(request.url);
      }
      return urls;
    })()`);
    assert.ok(cached.some((url) => new URL(url).pathname === '/index.html'));
    assert.deepEqual(
      cached.filter((url) => url.includes('/api/')),
      [],
    );
    // Nor in the browser's other storage.
    const local = await page.evaluate<string>('JSON.stringify(localStorage)');
    assert.ok(!local.includes(markingOf(0)) && !local.includes('مستودع'));

    await page.getByLabel('Offline passphrase').fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('Wrong passphrase.', { exact: false }).waitFor();
    await unlock();
    await page.getByTestId('outbox-status').getByText('1 site, 20 items, 5 photos not yet sent').waitFor();
  });

  it('sends everything exactly once, with matching hashes, when the connection returns', async () => {
    await context!.setOffline(false);
    await waitUntilNothingWaits();
    const db = test!.db;
    const site = await db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirstOrThrow();
    const latitude = parseCoordinate(latitudeText, 'latitude');
    const longitude = parseCoordinate(longitudeText, 'longitude');
    assert.ok(latitude.ok && longitude.ok, 'the shared parser reads the DMS spellings');
    assert.ok(Math.abs(Number(site.latitude) - latitude.value) < 1e-6);
    assert.ok(Math.abs(Number(site.longitude) - longitude.value) < 1e-6);
    const items = await db.selectFrom('items').select('id').where('site_id', '=', siteId).execute();
    assert.equal(items.length, itemCount);
    const markings = await db
      .selectFrom('markings')
      .select('text')
      .where(
        'item_id',
        'in',
        items.map((item) => item.id),
      )
      .execute();
    assert.deepEqual(
      markings.map((marking) => marking.text).sort(),
      Array.from({ length: itemCount }, (_, index) => markingOf(index)).sort(),
    );
    const media = await db
      .selectFrom('media')
      .select(['id', 'sha256'])
      .where('investigation_id', '=', investigationId)
      .execute();
    assert.equal(media.length, photoCount);
    assert.deepEqual(media.map((row) => row.sha256).sort(), photos.map(sha256).sort());
    const links = await db
      .selectFrom('media_links')
      .select(['media_id', 'item_id'])
      .where(
        'media_id',
        'in',
        media.map((row) => row.id),
      )
      .execute();
    assert.equal(new Set(links.map((link) => link.media_id)).size, photoCount);
    assert.ok(links.every((link) => items.some((item) => item.id === link.item_id)));
  });

  it('creates nothing twice when the server stops in the middle of a sync and comes back', async () => {
    await context!.setOffline(true);
    await goInApp(`/investigations/${investigationId}/sites/${siteId}/items/new`);
    await page.getByRole('heading', { name: 'Record an item' }).waitFor();
    for (let index = itemCount; index < itemCount + 3; index += 1) await recordItem(index, false);

    // The server applies the batch, then stops before its answer reaches the device.
    let stopped: () => void = () => undefined;
    const serverStopped = new Promise<void>((resolve) => (stopped = resolve));
    await context!.route('**/api/v1/sync', async (route) => {
      await route.fetch();
      await stopServer();
      await route.abort('connectionreset');
      stopped();
    });
    await context!.setOffline(false);
    await serverStopped;
    await context!.unroute('**/api/v1/sync');
    await startServer(port);
    await waitUntilNothingWaits();
    const items = await test!.db.selectFrom('items').select('id').where('site_id', '=', siteId).execute();
    assert.equal(items.length, itemCount + 3);
  });

  it('shows the conflict when an offline correction meets a change made on the server', async () => {
    const db = test!.db;
    const target = await db
      .selectFrom('items')
      .innerJoin('markings', 'markings.item_id', 'items.id')
      .select('items.id')
      .where('markings.text', '=', markingOf(0))
      .executeTakeFirstOrThrow();
    await goInApp(`/investigations/${investigationId}/items/${target.id}`);
    await page.getByRole('heading', { name: 'Markings' }).waitFor();
    await context!.setOffline(true);
    const disposal = page.getByRole('form', { name: 'Record disposal status' });
    await disposal.getByLabel('Disposal status').selectOption({ label: 'Moved to storage' });
    await disposal.getByRole('button', { name: 'Record disposal status' }).click();
    await page.getByTestId('outbox-status').getByText('1 change not yet sent').waitFor();

    // Meanwhile, at the office, someone records another status.
    const current = await getItem(db, owner, target.id);
    await setDisposalStatus(db, owner, target.id, {
      version: current.version,
      disposal_status: 'destroyed',
      note: 'Destroyed by the clearance team',
    });

    await context!.setOffline(false);
    await goInApp('/outbox');
    const entry = page.locator('[data-testid="outbox-entry"][data-status="conflict"]');
    await entry.waitFor({ timeout: 120_000 });
    const conflict = entry.getByTestId('conflict');
    await conflict.waitFor();
    await conflict.getByText('Yours (this device)').waitFor();
    await conflict.getByText(/On the server \(version \d+\)/).waitFor();
    await conflict.getByRole('cell', { name: 'Moved to storage' }).first().waitFor();
    await conflict.getByRole('cell', { name: 'Destroyed' }).first().waitFor();
    assert.equal((await getItem(db, owner, target.id)).disposal_status, 'destroyed', 'nothing was overwritten');
  });

  it('raised no page error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
