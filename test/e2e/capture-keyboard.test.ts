// Database-independent: focus order and the save bar are the browser's; the saves it makes are the same requests
// the capture-form and offline browser tests run on both databases.
// Capture with the keyboard only (issue #10), in Arabic at 360 px: no mouse, only Tab, Shift+Tab, Enter, Space,
// arrow keys and typing. A site is created with DMS coordinates typed in Arabic-Indic digits, then three items
// with markings through "Save and add another like this"; every focused control must be on screen and not hidden
// behind the sticky save bar. The server's state is checked afterwards. Then axe-core on the capture form, the
// outbox and the offline screens (set-up and unlock) in English and Arabic at 1280 and 360 px.
// Needs `npm run build:web` first and /usr/bin/chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type TestLocale, type WebHarness } from './harness.js';

type FormatMessage = (locale: TestLocale, key: string, message: string, params?: Record<string, unknown>) => string;

/** 36°21'04"N and 43°10'44"E in decimal degrees. */
const dmsLatitude = 36 + 21 / 60 + 4 / 3600;
const dmsLongitude = 43 + 10 / 60 + 44 / 3600;
const siteName = 'مخبأ البستان';
const markings = ['KBD-٠١-A', 'KBD-02-B', 'ЗВ 12-83'];

/** What has the focus: its tag, its accessible text and whether it is visible and not covered by anything. */
const focusState = `(async () => {
  // As the user sees it: after the frames that follow the key press (scrolling the control into view).
  for (let frame = 0; frame < 2; frame += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
  const element = document.activeElement;
  if (element === null || element === document.body) return { tag: 'body', name: '', covered: false, onScreen: false };
  const rect = element.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 12), 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  const label = element.labels && element.labels[0] ? element.labels[0].textContent : '';
  return {
    tag: element.tagName.toLowerCase(),
    type: element.getAttribute('type') || '',
    name: (element.getAttribute('aria-label') || label || element.textContent || '').trim(),
    value: 'value' in element ? String(element.value) : '',
    onScreen: rect.bottom > 0 && rect.top < innerHeight && rect.width > 0,
    covered: hit !== null && hit !== element && !element.contains(hit) && !hit.contains(element),
    coveredBy: hit === null ? '' : hit.tagName.toLowerCase() + '.' + String(hit.className),
  };
})()`;

interface FocusState {
  tag: string;
  type: string;
  name: string;
  value: string;
  onScreen: boolean;
  covered: boolean;
  coveredBy: string;
}

describe('capture with the keyboard only', () => {
  let web: WebHarness;
  let owner: Actor;
  let investigationId: string;
  let formatMessage: FormatMessage;
  const catalogues: Record<string, Record<string, string>> = {};
  const say = (locale: TestLocale, key: string, params?: Record<string, unknown>) => {
    const message = catalogues[locale]![key];
    assert.ok(message !== undefined, `${locale}.json has ${key}`);
    return formatMessage(locale, key, message, params);
  };

  const focused = (page: Page) => page.evaluate<FocusState>(focusState);

  /** The focus is on screen and nothing (the sticky save bar above all) covers it. */
  async function assertFocusVisible(page: Page, where: string): Promise<FocusState> {
    const state = await focused(page);
    assert.notEqual(state.tag, 'body', `${where}: the focus was lost`);
    assert.ok(state.onScreen, `${where}: the focused ${state.tag} "${state.name}" is off screen`);
    assert.ok(!state.covered, `${where}: the focused ${state.tag} "${state.name}" is covered by ${state.coveredBy}`);
    return state;
  }

  /** Presses Tab (or Shift+Tab) until the focused control matches, checking each stop is visible. */
  async function tabTo(page: Page, matches: (state: FocusState) => boolean, what: string, backwards = false) {
    for (let presses = 0; presses < 60; presses += 1) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const state = await assertFocusVisible(page, `tabbing to ${what}`);
      if (matches(state)) return state;
    }
    throw new Error(`${what} cannot be reached with Tab`);
  }

  const named = (text: string) => (state: FocusState) => state.name.includes(text);

  before(async () => {
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'field-keys');
    investigationId = (await createInvestigation(web.db, owner, { title: 'Keyboard capture' })).id;
    const i18n = new URL('../../web/src/i18n/i18n.tsx', import.meta.url).href;
    formatMessage = ((await import(i18n)) as { formatMessage: FormatMessage }).formatMessage;
    for (const locale of ['en', 'ar'] as const)
      catalogues[locale] = (
        (await import(new URL(`../../src/i18n/${locale}.json`, import.meta.url).href, {
          with: { type: 'json' },
        })) as { default: Record<string, string> }
      ).default;
  });
  after(() => web.close());

  it('creates a site by DMS in Arabic-Indic digits and three items "like this", keyboard only (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'field-keys');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/map`);
    await page.getByTestId('map').waitFor();

    // The map page: a new site by coordinates.
    await tabTo(page, named(say('ar', 'map.newSiteByCoordinates')), 'new site by coordinates');
    await page.keyboard.press('Enter');
    let state = await assertFocusVisible(page, 'the new-site form');
    assert.equal(state.name, say('ar', 'site.name'), 'the form opens with the focus in its first field');
    await page.keyboard.type(siteName);
    await tabTo(page, (s) => s.tag === 'input' && s.name.startsWith(say('ar', 'site.latitude')), 'latitude');
    await page.keyboard.type(`٣٦°٢١'٠٤"N`);
    await tabTo(page, (s) => s.tag === 'input' && s.name.startsWith(say('ar', 'site.longitude')), 'longitude');
    await page.keyboard.type(`٤٣°١٠'٤٤"E`);
    await tabTo(page, named(say('ar', 'map.saveSite')), 'save site');
    await page.keyboard.press('Enter');
    await page
      .getByRole('status')
      .filter({ hasText: say('ar', 'map.created') })
      .waitFor();
    // The focus is not lost after saving: it is on the way to the new site.
    state = await assertFocusVisible(page, 'after saving the site');
    if (!state.name.includes(say('ar', 'map.openSite')))
      await tabTo(page, named(say('ar', 'map.openSite')), 'open the site');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: siteName }).waitFor();
    await page.screenshot({ path: '/tmp/offline/keyboard-site-ar-360.png' });

    // The site page: add an item.
    await tabTo(page, named(say('ar', 'site.addItem')), 'add an item');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: say('ar', 'capture.title') }).waitFor();

    for (const [index, marking] of markings.entries()) {
      state = await focused(page);
      if (index === 0) {
        // The form opens with the focus on the category, chosen with the arrow keys.
        await page.locator('select:focus').waitFor();
        state = await assertFocusVisible(page, 'the capture form');
        assert.ok(state.tag === 'select' && state.name.startsWith(say('ar', 'item.category')), state.name);
        for (let presses = 0; presses < 30 && state.value !== 'small_arm'; presses += 1) {
          await page.keyboard.press('ArrowDown');
          state = await focused(page);
        }
        assert.equal(state.value, 'small_arm');
        await tabTo(
          page,
          (s) => s.tag === 'input' && s.name === say('ar', 'capture.markingText', { number: 1 }),
          'marking 1',
        );
      } else {
        // After "like this" the focus waits in the first marking, with the category carried over.
        state = await assertFocusVisible(page, `item ${index + 1}`);
        assert.equal(state.name, say('ar', 'capture.markingText', { number: 1 }), 'the focus is in the first marking');
      }
      await page.keyboard.type(marking);
      await tabTo(page, named(say('ar', 'capture.saveAndAnother')), 'save and add another like this');
      await page.screenshot({ path: `/tmp/offline/keyboard-capture-${index}-ar-360.png` });
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: new RegExp(marking) }).waitFor();
    }
    await page.screenshot({ path: '/tmp/offline/keyboard-capture-done-ar-360.png', fullPage: true });

    const site = await web.db.selectFrom('sites').selectAll().where('name', '=', siteName).executeTakeFirstOrThrow();
    assert.ok(Math.abs(Number(site.latitude) - dmsLatitude) < 1e-9, `latitude ${site.latitude}`);
    assert.ok(Math.abs(Number(site.longitude) - dmsLongitude) < 1e-9, `longitude ${site.longitude}`);
    const items = await web.db
      .selectFrom('items')
      .innerJoin('markings', 'markings.item_id', 'items.id')
      .select(['items.category', 'markings.text'])
      .where('items.site_id', '=', site.id)
      .execute();
    assert.deepEqual(
      items.map((row) => [row.category, row.text]).sort(),
      markings.map((text) => ['small_arm', text]).sort(),
    );
    assert.deepEqual(web.pageErrors, []);
  });

  for (const locale of ['en', 'ar'] as const) {
    for (const width of [1280, 360]) {
      it(`has no serious axe violation on capture, outbox and offline screens (${locale}, ${width} px)`, async () => {
        const where = (screen: string) => `${screen}, ${locale}, ${width} px`;
        const username = `axe-${locale}-${width}`;
        const user = await createTestUser(web.db, username);
        const investigation = await createInvestigation(web.db, user, { title: `Axe ${locale} ${width}` });
        const site = await createSite(web.db, user, investigation.id, { site_type: 'cache', name: 'Axe depot' });
        const page = await web.newPage({ locale, width });
        await web.signIn(page, username);
        await page.goto(`${web.baseUrl}/investigations/${investigation.id}/sites/${site.id}/items/new`);
        await page.getByRole('heading', { name: say(locale, 'capture.title') }).waitFor();
        await expectNoSeriousAxeViolations(page, where('capture form'));

        await page.goto(`${web.baseUrl}/outbox`);
        await page.getByRole('button', { name: say(locale, 'offline.setup.submit') }).waitFor();
        await expectNoSeriousAxeViolations(page, where('outbox, offline set-up'));
        await page.getByLabel(say(locale, 'offline.passphrase'), { exact: true }).fill('a long passphrase');
        await page.getByLabel(say(locale, 'offline.setup.confirm'), { exact: true }).fill('a long passphrase');
        await page.getByRole('button', { name: say(locale, 'offline.setup.submit') }).click();
        await page.getByText(say(locale, 'offline.setup.done')).waitFor();
        await page.getByTestId('offline-cache-usage').waitFor();
        await expectNoSeriousAxeViolations(page, where('outbox and field pack'));

        // Reloaded: the key is gone from memory, the unlock screen asks for the passphrase.
        await page.reload();
        await page.getByRole('heading', { name: say(locale, 'offline.unlock.title') }).waitFor();
        await expectNoSeriousAxeViolations(page, where('offline unlock'));
        await page.screenshot({ path: `/tmp/offline/unlock-${locale}-${width}.png` });
        assert.deepEqual(web.pageErrors, []);
      });
    }
  }
});
