// Screenshots of each main page of the web app, in English and Arabic, at
// 1280 px and 360 px wide, into docs/screenshots/. Uses the example
// investigation on an in-memory database and Debian's Chromium.
// Run: npm run build:web && npm run screenshots
// Only some pages: npm run screenshots -- import-mapping exports (names as in the files, without locale and width).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { loadConfig } from '../src/config/config.js';
import { loadExampleInvestigation } from '../src/features/demo/service.js';
import { linkIncidentSite } from '../src/features/incidents/service.js';
import { getItem, setDisposalStatus } from '../src/features/items/service.js';
import { addMediaFromStream } from '../src/features/media/service.js';
import { makeDerivativesHere } from '../src/features/media/derivative-jobs.js';
import { createEvidenceStore } from '../src/storage/create.js';
import { getSite, updateSite } from '../src/features/sites/service.js';
import { buildApp } from '../src/http/app.js';
import { defaultWebRoot } from '../src/http/static.js';
import { createTestDatabase, createTestUser, testPassword } from '../src/testing/test-database.js';
import ar from '../src/i18n/ar.json' with { type: 'json' };
import en from '../src/i18n/en.json' with { type: 'json' };

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const outputDir = new URL('../docs/screenshots/', import.meta.url);
const locales = ['en', 'ar'] as const;
const widths = [1280, 360] as const;
/** The pages named on the command line, or every page. */
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

if (!fs.existsSync(path.join(defaultWebRoot, 'index.html'))) {
  throw new Error('The web app is not built: run npm run build:web');
}

const test = await createTestDatabase();
const user = await createTestUser(test.db, 'demo');
const investigation = await loadExampleInvestigation(test.db, user);
const firstSite = await test.db
  .selectFrom('sites')
  .select('id')
  .where('investigation_id', '=', investigation.id)
  .orderBy('id')
  .executeTakeFirstOrThrow();
const documentedItem =
  (await test.db.selectFrom('custody_events').select('item_id').orderBy('id').executeTakeFirst())?.item_id ??
  (await test.db.selectFrom('markings').select('item_id').orderBy('id').executeTakeFirstOrThrow()).item_id;

// The example has no photos: two placeholder pictures (labelled as such) are added to the item shown.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-screenshots-'));
const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
const store = createEvidenceStore(config);
for (const [index, colour] of ['#7a8c5a', '#8c7a5a'].entries()) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="${colour}"/>
    <rect x="60" y="80" width="300" height="180" fill="#3b3b2f"/>
    <circle cx="${480 - index * 60}" cy="320" r="110" fill="#d9c9a3"/>
    <text x="40" y="440" font-size="36" font-family="DejaVu Sans, sans-serif" fill="#ffffff">Example photo ${index + 1}</text>
  </svg>`;
  await addMediaFromStream(
    test.db,
    store,
    config.media,
    user,
    investigation.id,
    Readable.from(await sharp(Buffer.from(svg)).png().toBuffer()),
    { filename: `example-photo-${index + 1}.png`, declaredType: 'image/png' },
    {
      item_id: documentedItem,
      captured_by: 'Field documentation team (example)',
      credit: 'Example team',
      licence: 'CC BY 4.0',
    },
    makeDerivativesHere(test.db, store, config.media),
  );
}

const app = await buildApp({ db: test.db, config, logger: false });
const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

/** A page to take: once `ready`, the whole page, or only `element` (a section lower down) when given. */
const pages: { name: string; path: string; ready: (page: Page) => Promise<void>; element?: string }[] = [
  {
    name: 'overview',
    path: `/investigations/${investigation.id}`,
    ready: (page) => page.locator('.section-hazards table').waitFor(),
  },
  {
    name: 'map',
    path: `/investigations/${investigation.id}/map`,
    ready: async (page) => {
      await page.locator('.leaflet-overlay-pane path').nth(100).waitFor({ state: 'attached' });
      await page.locator('.leaflet-marker-icon').first().waitFor();
    },
  },
  {
    name: 'site',
    path: `/investigations/${investigation.id}/sites/${firstSite.id}`,
    ready: (page) => page.locator('.inventory-table').waitFor(),
  },
  {
    name: 'item-capture',
    path: `/investigations/${investigation.id}/sites/${firstSite.id}/items/new`,
    ready: (page) => page.locator('.palette').waitFor(),
  },
  {
    name: 'item',
    path: `/investigations/${investigation.id}/items/${documentedItem}`,
    ready: async (page) => {
      await page.locator('.marking-text-cell').first().waitFor();
      // Thumbnails load lazily: bring them into view, then wait for their pixels.
      await page.locator('.media-card img').last().scrollIntoViewIfNeeded();
      const thumbnails = page.locator('.media-card img');
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const loaded = await thumbnails.evaluateAll((images: { complete: boolean; naturalWidth: number }[]) =>
          images.every((image) => image.complete && image.naturalWidth > 0),
        );
        if (loaded) break;
        await page.waitForTimeout(100);
      }
    },
  },
  {
    name: 'analysis',
    path: `/investigations/${investigation.id}/analysis`,
    ready: async (page) => {
      await page.locator('[data-testid="chart-categories"] .bar-segment').first().waitFor();
      await page.locator('[data-testid="chart-open-trace-requests"], #trace-requests .empty').first().waitFor();
    },
  },
  {
    name: 'search',
    path: `/investigations/${investigation.id}/search?q=${encodeURIComponent('КЛ 0471')}`,
    ready: (page) => page.locator('.marking-text-cell').first().waitFor(),
  },
  // Issue 11, items 7 and 8: bulk actions on the inventory, members and roles, the account (password, API tokens,
  // sessions) and the instance's users. The demo user is made an administrator here so the users screen shows.
  ...(await (async () => {
    await test.db.updateTable('users').set({ is_admin: true }).where('username', '=', 'demo').execute();
    return [
      {
        name: 'bulk-actions',
        path: `/investigations/${investigation.id}/sites/${firstSite.id}`,
        ready: async (page: Page) => {
          await page.locator('.inventory-table tbody input[type="checkbox"]').first().click();
          await page.locator('.bulk-bar').waitFor();
        },
      },
      {
        name: 'members',
        path: `/investigations/${investigation.id}/members`,
        ready: (page: Page) => page.locator('#members tbody tr').first().waitFor(),
      },
      {
        name: 'account',
        path: '/settings',
        ready: (page: Page) => page.locator('#sessions tbody tr').first().waitFor(),
      },
      {
        name: 'users',
        path: '/settings/users',
        ready: (page: Page) => page.locator('#users tbody tr').first().waitFor(),
      },
    ];
  })()),
];

// Trace requests and provenance (issue 11, items 2 and 3): the list with reminders, a request, a new request from
// an item, the shared lots and a lot's provenance.
const exampleRequest = await test.db
  .selectFrom('trace_requests')
  .select('id')
  .where('investigation_id', '=', investigation.id)
  .orderBy('id')
  .executeTakeFirstOrThrow();
pages.push(
  {
    name: 'trace-requests',
    path: `/investigations/${investigation.id}/trace-requests`,
    ready: (page) => page.locator('[data-testid="trace-request-row"]').first().waitFor(),
  },
  {
    name: 'trace-request',
    path: `/investigations/${investigation.id}/trace-requests/${exampleRequest.id}`,
    ready: (page) => page.locator('[data-testid="history-entry"]').first().waitFor(),
  },
  {
    name: 'trace-request-new',
    path: `/investigations/${investigation.id}/trace-requests/new?items=${documentedItem}`,
    ready: (page) => page.locator('[data-testid="selected-item"]').first().waitFor(),
  },
  {
    name: 'lots',
    path: `/investigations/${investigation.id}/lots`,
    ready: (page) => page.locator('[data-testid="shared-lot"], #shared-lots .empty').first().waitFor(),
  },
  {
    name: 'lot',
    path: `/investigations/${investigation.id}/lots/view?lot=${encodeURIComponent('КЛ 0417')}`,
    ready: (page) => page.locator('[data-testid="claim"]').first().waitFor(),
  },
);

// Import (a preview naming a bad line), downloads, the audit log and verify (issue 11, item 9).
pages.push(
  {
    name: 'import',
    path: `/investigations/${investigation.id}/import`,
    ready: async (page) => {
      const csv =
        'site_ref,site_name,site_type,item_ref,category,marking_kind,marking_text\n' +
        'NEW-1,Roadside cache,cache,NEW-1-1,small_arm,serial,AK 0471\n' +
        'NEW-1,,,NEW-1-2,not_a_category,,\n';
      await page.locator('input[type="file"]').setInputFiles({
        name: 'items.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(csv),
      });
      await page.locator('main form button[type="submit"]').click();
      await page.locator('main table').first().waitFor();
    },
  },
  {
    name: 'downloads',
    path: `/investigations/${investigation.id}/downloads`,
    ready: (page) => page.locator('.download-list').waitFor(),
  },
  {
    name: 'audit-log',
    path: `/investigations/${investigation.id}/audit`,
    ready: (page) => page.locator('table tbody tr').first().waitFor(),
  },
  { name: 'verify', path: '/verify', ready: (page) => page.locator('main h1').waitFor() },
);

// The import's mapping step (a file whose headers are partly French, partly unknown), the tables and maps of the
// downloads screen after a map download (how many records a map file leaves out), and an incident's sites.
{
  const firstIncident = await test.db
    .selectFrom('incidents')
    .select('id')
    .where('investigation_id', '=', investigation.id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const sites = await test.db
    .selectFrom('sites')
    .select('id')
    .where('investigation_id', '=', investigation.id)
    .orderBy('id')
    .limit(3)
    .execute();
  const linked = await test.db
    .selectFrom('incident_sites')
    .select('site_id')
    .where('incident_id', '=', firstIncident.id)
    .execute();
  for (const site of sites) {
    if (!linked.some((row) => row.site_id === site.id)) {
      await linkIncidentSite(test.db, user, firstIncident.id, { site_id: site.id });
    }
  }
  pages.push(
    {
      name: 'import-mapping',
      path: `/investigations/${investigation.id}/import`,
      ready: async (page) => {
        const csv = [
          'Code;Nom du site;Type de site;Objet;Catégorie;Remarque libre',
          'EX-S1;Grange;Cache;EX-I1;Cartouches;vu deux fois',
          'EX-S1;;;EX-I2;قذيفة هاون;',
        ].join('\r\n');
        await page.locator('input[type="file"]').setInputFiles({
          name: 'inventaire.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(csv),
        });
        await page.locator('main form button[type="submit"]').click();
        await page.locator('#import-mapping-title').waitFor();
      },
    },
    {
      name: 'exports',
      path: `/investigations/${investigation.id}/downloads`,
      element: 'section[aria-labelledby="table-exports-title"]',
      ready: async (page) => {
        const sitesExport = page.locator('#table-export-sites').locator('xpath=..');
        await sitesExport.locator('button', { hasText: 'GEOJSON' }).click();
        await sitesExport.locator('.notice-success').waitFor();
      },
    },
    {
      name: 'incident-sites',
      path: `/investigations/${investigation.id}/incidents/${firstIncident.id}`,
      element: 'section[aria-labelledby="incident-sites-title"]',
      ready: (page) => page.getByTestId('linked-sites').waitFor(),
    },
  );
}

// The register screens (issue 11, items 4–6): the actors, sources and incidents lists and one record of each.
{
  const firstOf = async (table: 'actors' | 'sources' | 'incidents') =>
    (
      await test.db
        .selectFrom(table)
        .select('id')
        .where('investigation_id', '=', investigation.id)
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
  const registerBase = `/investigations/${investigation.id}`;
  const tableReady = (page: Page) => page.locator('main table tbody tr').first().waitFor();
  const recordReady = (page: Page) => page.locator('main dl.details').waitFor();
  pages.push(
    { name: 'actors', path: `${registerBase}/actors`, ready: tableReady },
    { name: 'actor', path: `${registerBase}/actors/${await firstOf('actors')}`, ready: recordReady },
    { name: 'sources', path: `${registerBase}/sources`, ready: tableReady },
    { name: 'source', path: `${registerBase}/sources/${await firstOf('sources')}`, ready: recordReady },
    { name: 'incidents', path: `${registerBase}/incidents`, ready: tableReady },
    {
      name: 'incident',
      path: `${registerBase}/incidents/${await firstOf('incidents')}`,
      ready: (page) => page.getByTestId('linked-items').waitFor(),
    },
  );
}

fs.mkdirSync(outputDir, { recursive: true });
try {
  for (const locale of locales) {
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } });
      await context.addInitScript(`localStorage.setItem('armtrace.locale', ${JSON.stringify(locale)});`);
      const page = await context.newPage();
      const save = async (name: string) => {
        const file = new URL(`${name}-${locale}-${width}.png`, outputDir);
        await page.screenshot({ path: file.pathname, fullPage: true });
        process.stdout.write(`Wrote docs/screenshots/${name}-${locale}-${width}.png\n`);
      };

      await page.goto(baseUrl);
      await page.locator('input[name="username"]').waitFor();
      if (wanted('sign-in')) await save('sign-in');
      await page.locator('input[name="username"]').fill('demo');
      await page.locator('input[name="password"]').fill(testPassword);
      await page.locator('button[type="submit"]').click();
      await page.locator('.card-list').waitFor();

      for (const shot of pages.filter((candidate) => wanted(candidate.name))) {
        await page.goto(`${baseUrl}${shot.path}`);
        await shot.ready(page);
        // Let late layout (fonts, the map's fit-to-extent animation) settle.
        await page.waitForTimeout(400);
        if (shot.element === undefined) {
          await save(shot.name);
        } else {
          const file = new URL(`${shot.name}-${locale}-${width}.png`, outputDir);
          await page.locator(shot.element).screenshot({ path: file.pathname });
          process.stdout.write(`Wrote docs/screenshots/${shot.name}-${locale}-${width}.png\n`);
        }
      }
      await context.close();
    }
  }
  if (only.size === 0) {
    for (const locale of locales) await offlineScreenshots(locale);
    for (const locale of locales) for (const width of widths) await recordScreenshots(locale, width);
  }
} finally {
  await browser.close();
  await app.close();
  await test.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Offline capture at 360 px (issue #10): the offline state while recording, the outbox, and a conflict (an offline
 * disposal change meeting a change made on the server). Needs the server's sync endpoint (POST /api/v1/sync).
 */
async function offlineScreenshots(locale: (typeof locales)[number]): Promise<void> {
  const messages: Record<string, string> = { en, ar }[locale];
  const text = (key: string) => messages[key] ?? key;
  const width = 360;
  const context = await browser.newContext({ viewport: { width, height: 740 } });
  await context.addInitScript(`localStorage.setItem('armtrace.locale', ${JSON.stringify(locale)});`);
  const page = await context.newPage();
  const save = async (name: string) => {
    const file = new URL(`${name}-${locale}-${width}.png`, outputDir);
    await page.screenshot({ path: file.pathname, fullPage: true });
    process.stdout.write(`Wrote docs/screenshots/${name}-${locale}-${width}.png\n`);
  };
  const goInApp = (to: string) =>
    page.evaluate(`history.pushState(null, '', ${JSON.stringify(to)}); dispatchEvent(new PopStateEvent('popstate'))`);
  try {
    await page.goto(baseUrl);
    await page.locator('input[name="username"]').fill('demo');
    await page.locator('input[name="password"]').fill(testPassword);
    await page.locator('button[type="submit"]').click();
    await page.locator('.card-list').waitFor();
    await goInApp('/outbox');
    const passphrase = 'example passphrase for screenshots';
    await page.locator('.offline-setup input[type="password"]').nth(0).fill(passphrase);
    await page.locator('.offline-setup input[type="password"]').nth(1).fill(passphrase);
    await page.locator('.offline-setup button[type="submit"]').click();
    await page.getByText(text('offline.setup.done')).waitFor();
    await page.waitForFunction('navigator.serviceWorker.controller !== null');

    // An item's page read online, then a disposal change made offline: it will meet a change made at the office.
    await goInApp(`/investigations/${investigation.id}/items/${documentedItem}`);
    await page.locator('.marking-text-cell').first().waitFor();
    await context.setOffline(true);
    const disposal = page.getByRole('form', { name: text('item.changeDisposal') });
    await disposal.getByLabel(text('item.disposalStatus')).selectOption({ label: text('disposal.moved_to_storage') });
    await disposal.getByRole('button', { name: text('item.changeDisposal') }).click();

    // The offline state while recording an item.
    await goInApp(`/investigations/${investigation.id}/sites/${firstSite.id}/items/new`);
    await page.getByLabel(text('item.category')).selectOption({ label: text('category.small_arm') });
    await page.getByLabel(text('capture.markingText').replace('{number}', '1'), { exact: true }).fill('KL-0471');
    await page.getByRole('button', { name: text('capture.saveAndAnother') }).click();
    await page.getByTestId('outbox-status').waitFor();
    await page.waitForTimeout(300);
    await save('offline-capture');

    await goInApp('/outbox');
    await page.getByTestId('outbox-entry').first().waitFor();
    await save('outbox');

    const item = await getItem(test.db, user, documentedItem);
    await setDisposalStatus(test.db, user, documentedItem, {
      version: item.version,
      disposal_status: 'destroyed',
      note: 'Destroyed by the clearance team (example)',
    });
    await context.setOffline(false);
    const conflict = page.locator('[data-testid="outbox-entry"][data-status="conflict"]');
    await conflict.waitFor({ timeout: 60_000 });
    await conflict.getByTestId('conflict').waitFor();
    await conflict.scrollIntoViewIfNeeded();
    await save('conflict');
  } finally {
    await context.close();
  }
}

/**
 * Correct and archive (issue 11, item 1): the site's edit form, a stale edit showing both versions, the archive
 * dialog, the item's edit form and a record's history. The stale edit is made by changing the site's "recovered by"
 * on the server while the form is open; the user's change is then dropped ("use the current version").
 */
async function recordScreenshots(locale: (typeof locales)[number], width: (typeof widths)[number]): Promise<void> {
  const messages: Record<string, string> = { en, ar }[locale];
  const text = (key: string) => messages[key] ?? key;
  const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } });
  await context.addInitScript(`localStorage.setItem('armtrace.locale', ${JSON.stringify(locale)});`);
  const page = await context.newPage();
  const save = async (name: string, fullPage = true) => {
    const file = new URL(`${name}-${locale}-${width}.png`, outputDir);
    await page.screenshot({ path: file.pathname, fullPage });
    process.stdout.write(`Wrote docs/screenshots/${name}-${locale}-${width}.png\n`);
  };
  try {
    await page.goto(baseUrl);
    await page.locator('input[name="username"]').fill('demo');
    await page.locator('input[name="password"]').fill(testPassword);
    await page.locator('button[type="submit"]').click();
    await page.locator('.card-list').waitFor();

    await page.goto(`${baseUrl}/investigations/${investigation.id}/sites/${firstSite.id}`);
    await page.getByRole('button', { name: text('edit.site.button') }).click();
    const form = page.locator('form.site-edit');
    await form.waitFor();
    await form.scrollIntoViewIfNeeded();
    await save('site-edit');

    const site = await getSite(test.db, user, firstSite.id);
    await form.getByLabel(text('site.recoveredBy')).fill('Field team 3 (example)');
    await updateSite(test.db, user, firstSite.id, { version: site.version, recovered_by: 'Clearance team (example)' });
    await form.getByRole('button', { name: text('edit.save') }).click();
    await page.getByTestId('stale-edit').waitFor();
    await page.getByTestId('stale-edit').scrollIntoViewIfNeeded();
    await save('site-stale-edit', false);
    await page.getByRole('button', { name: text('record.stale.useCurrent') }).click();
    await form.getByRole('button', { name: text('common.cancel') }).click();

    await page.getByRole('button', { name: text('record.archive.button'), exact: true }).click();
    await page.getByRole('dialog').waitFor();
    await save('archive-dialog', false);
    await page.keyboard.press('Escape');

    const history = page.locator('.record-history');
    await history.locator('li').first().waitFor();
    await history.scrollIntoViewIfNeeded();
    await save('record-history', false);

    await page.goto(`${baseUrl}/investigations/${investigation.id}/items/${documentedItem}`);
    await page.getByRole('button', { name: text('edit.item.button') }).click();
    await page.locator('form.item-edit').waitFor();
    await save('item-edit');
  } finally {
    await context.close();
  }
}
