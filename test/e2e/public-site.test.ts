// Database-independent: opens the committed static site (docs/examples/public/) from its folder, with no server.
// The example investigation's public site (issue 13, item 3) as a reader opens it: file:// in Chromium, English and
// Arabic, 1280 and 360 px. Nothing is fetched from anywhere else, nothing overflows the width of a phone, the map
// and the records are there, axe finds no serious or critical violation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { chromiumArgs, chromiumPath, expectNoSeriousAxeViolations } from './harness.js';

const siteRoot = path.resolve('docs/examples/public');
const screenshots = process.env.PUBLIC_SITE_SCREENSHOTS ?? '/tmp/pubexamples';

let browser: Browser;
before(async () => {
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  fs.mkdirSync(screenshots, { recursive: true });
});
after(() => browser.close());

describe('the public site of the example opened from its folder', () => {
  for (const lang of ['en', 'ar'] as const) {
    for (const width of [1280, 360]) {
      it(`${lang} at ${width} px: whole, legible, right-to-left in Arabic, accessible, nothing fetched`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 }, locale: lang });
        const page = await context.newPage();
        const errors: string[] = [];
        const elsewhere: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('request', (request) => {
          if (!request.url().startsWith('file://') && !request.url().startsWith('data:')) {
            elsewhere.push(request.url());
          }
        });
        await page.goto(pathToFileURL(path.join(siteRoot, lang, 'index.html')).href);
        await page.locator('svg.site-map').waitFor();

        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
        // One dot per grid cell with a published site: the workshop.
        assert.equal(await page.locator('svg.site-map circle').count(), 1);
        const map = await page.locator('svg.site-map').boundingBox();
        assert.ok(map !== null && map.width >= Math.min(width - 64, 600), `map ${map?.width} px wide`);
        const text = await page.locator('body').innerText();
        assert.match(text, /MSL-W1-001/);
        assert.doesNotMatch(text, /MSL-C1|MSL-C2|MSL-C3|MSL-W1-00[4-7]/, 'only published public records');
        assert.doesNotMatch(text, /Iraqi security forces/, 'no recovered-by (location detail)');
        const overflow = await page.evaluate(() => {
          type Root = { documentElement: { scrollWidth: number; clientWidth: number } };
          const root = (globalThis as unknown as { document: Root }).document.documentElement;
          return { scroll: root.scrollWidth, client: root.clientWidth };
        });
        assert.ok(
          overflow.scroll <= overflow.client,
          `page ${overflow.scroll} px wide in a ${overflow.client} px window`,
        );
        await page.getByRole('link', { name: /GeoJSON/ }).waitFor();

        await expectNoSeriousAxeViolations(page, `public site, ${lang}, ${width} px`);
        await page.screenshot({ path: path.join(screenshots, `public-site-${lang}-${width}.png`), fullPage: true });
        await page
          .locator('section.public-site')
          .screenshot({ path: path.join(screenshots, `public-site-section-${lang}-${width}.png`) });
        assert.deepEqual(elsewhere, [], 'the site fetches nothing from anywhere else');
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
});
