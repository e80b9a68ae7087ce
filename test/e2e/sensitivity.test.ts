// Sensitivity in the web app, keyboard only, in Arabic at 360 px: an item captured as restricted (refused on the
// device until a reason is given), its badge, the investigation's default changed by its owner on the sensitivity
// screen, and a role without the grant that does not see the restricted item until an owner grants it. The
// server's state is read through the API with each user's own session. Then the same screens in English at
// 1280 px with axe-core. Screenshots in /tmp/shots-sensitivity/.
// Needs `npm run build:web` first and /usr/bin/chromium.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Actor } from '../../src/features/access/schema.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type TestLocale, type WebHarness } from './harness.js';

type FormatMessage = (locale: TestLocale, key: string, message: string, params?: Record<string, unknown>) => string;

const shots = '/tmp/shots-sensitivity';
const marking = 'SNS-٠١-R';
const reason = 'تظهر فيه صورة شاهد';

/** The focused control: its tag, its label (or accessible text), its value, and whether it is on screen. */
const focusState = `(async () => {
  for (let frame = 0; frame < 2; frame += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
  const element = document.activeElement;
  if (element === null || element === document.body) return { tag: 'body', name: '', value: '', onScreen: false };
  const rect = element.getBoundingClientRect();
  const label = element.labels && element.labels[0] ? element.labels[0].textContent : '';
  return {
    tag: element.tagName.toLowerCase(),
    name: (element.getAttribute('aria-label') || label || element.textContent || '').trim(),
    value: 'value' in element ? String(element.value) : '',
    checked: 'checked' in element ? Boolean(element.checked) : false,
    onScreen: rect.bottom > 0 && rect.top < innerHeight && rect.width > 0,
  };
})()`;

interface FocusState {
  tag: string;
  name: string;
  value: string;
  checked: boolean;
  onScreen: boolean;
}

describe('sensitivity in the web app', () => {
  let web: WebHarness;
  let owner: Actor;
  let investigationId: string;
  let siteId: string;
  let itemId = '';
  let formatMessage: FormatMessage;
  const catalogues: Record<string, Record<string, string>> = {};
  const say = (locale: TestLocale, key: string, params?: Record<string, unknown>) => {
    const message = catalogues[locale]![key];
    assert.ok(message !== undefined, `${locale}.json has ${key}`);
    return formatMessage(locale, key, message, params);
  };

  const focused = (page: Page) => page.evaluate<FocusState>(focusState);

  /** Presses Tab (or Shift+Tab) until the focused control matches; each stop must be on screen. */
  async function tabTo(
    page: Page,
    matches: (state: FocusState) => boolean,
    what: string,
    backwards = false,
  ): Promise<FocusState> {
    for (let presses = 0; presses < 80; presses += 1) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const state = await focused(page);
      assert.notEqual(state.tag, 'body', `tabbing to ${what}: the focus was lost`);
      assert.ok(state.onScreen, `tabbing to ${what}: the focused ${state.tag} "${state.name}" is off screen`);
      if (matches(state)) return state;
    }
    throw new Error(`${what} cannot be reached with Tab`);
  }

  /** Moves a focused select to `value` with the arrow keys. */
  async function arrowTo(page: Page, value: string): Promise<void> {
    let state = await focused(page);
    for (const key of ['ArrowDown', 'ArrowUp']) {
      for (let presses = 0; presses < 30 && state.value !== value; presses += 1) {
        await page.keyboard.press(key);
        state = await focused(page);
      }
    }
    assert.equal(state.value, value);
  }

  /** A GET of the API with the page's own session (cookies), as the web app makes it. */
  async function apiGet(page: Page, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await page.request.get(`${web.baseUrl}${path}`);
    return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
  }

  before(async () => {
    fs.mkdirSync(shots, { recursive: true });
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'sens-owner');
    await createTestUser(web.db, 'sens-viewer');
    investigationId = (await createInvestigation(web.db, owner, { title: 'مخابئ الشمال' })).id;
    await addMember(web.db, owner, investigationId, { username: 'sens-viewer', role: 'viewer' });
    siteId = (await createSite(web.db, owner, investigationId, { site_type: 'cache', name: 'مخبأ البستان' })).id;
    const i18n = new URL('../../web/src/i18n/i18n.tsx', import.meta.url).href;
    formatMessage = ((await import(i18n)) as { formatMessage: FormatMessage }).formatMessage;
    for (const locale of ['en', 'ar'] as const)
      catalogues[locale] = JSON.parse(
        fs.readFileSync(new URL(`../../src/i18n/${locale}.json`, import.meta.url), 'utf8'),
      ) as Record<string, string>;
  });
  after(() => web.close());

  it('captures a restricted item with its reason, shows the badge and changes the default, keyboard only (ar, 360 px)', async () => {
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'sens-owner');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}/items/new`);
    await page.getByRole('heading', { name: say('ar', 'capture.title') }).waitFor();

    // The category has the focus; then the first marking.
    await page.locator('select:focus').waitFor();
    await arrowTo(page, 'small_arm');
    await tabTo(
      page,
      (s) => s.tag === 'input' && s.name === say('ar', 'capture.markingText', { number: 1 }),
      'marking',
    );
    await page.keyboard.type(marking);

    // Who may see it: the investigation's default (internal, named) unless chosen.
    let state = await tabTo(
      page,
      (s) => s.tag === 'select' && s.name.startsWith(say('ar', 'sensitivity.whoMaySee')),
      'sensitivity',
    );
    assert.equal(state.value, '', "the investigation's default is chosen");
    const select = page.getByLabel(say('ar', 'sensitivity.whoMaySee'));
    await select
      .locator('option[value=""]')
      .filter({ hasText: say('ar', 'sensitivityLevel.internal') })
      .waitFor({ state: 'attached' });
    await arrowTo(page, 'restricted');

    // Restricted without a reason: refused on the device, said beside the reason field; nothing sent.
    await tabTo(page, (s) => s.tag === 'button' && s.name === say('ar', 'capture.save'), 'save');
    await page.keyboard.press('Enter');
    await page.getByText(say('ar', 'fieldError.sensitivity_reason_required')).waitFor();
    await page.getByText(say('ar', 'capture.fixFields')).waitFor();
    const none = await web.db.selectFrom('items').select('id').where('site_id', '=', siteId).execute();
    assert.deepEqual(none, []);
    await page.getByLabel(say('ar', 'sensitivity.reason')).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/capture-reason-required-ar-360.png` });

    // The reason, then save: the item page shows the badge.
    await page.getByLabel(say('ar', 'sensitivity.reason')).focus();
    await page.keyboard.type(reason);
    await tabTo(page, (s) => s.tag === 'button' && s.name === say('ar', 'capture.save'), 'save');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/items\/[0-9a-f-]+$/);
    itemId = page.url().split('/').pop()!;
    const badge = page.locator('.record-badges .sensitivity-badge');
    await badge.waitFor();
    assert.equal(
      (await badge.innerText()).replace(/\s+/g, ' ').trim(),
      `${say('ar', 'sensitivity.badgePrefix')} ${say('ar', 'sensitivityLevel.restricted')}`.replace(/\s+/g, ' ').trim(),
    );
    assert.ok(await badge.isVisible());
    await page.getByText(reason).waitFor();
    await page.screenshot({ path: `${shots}/item-restricted-ar-360.png` });

    const item = await apiGet(page, `/api/v1/items/${itemId}`);
    assert.equal(item.status, 200);
    assert.equal(item.body.sensitivity, 'restricted');
    assert.equal(item.body.sensitivity_reason, reason);
    // The marking recorded with it takes the same level.
    const [recorded] = item.body.markings as { text: string; sensitivity: string; sensitivity_reason: string }[];
    assert.deepEqual(
      [recorded?.text, recorded?.sensitivity, recorded?.sensitivity_reason],
      [marking, 'restricted', reason],
    );

    // The owner's sensitivity screen, from the navigation above the page: the default goes from internal to partners.
    await tabTo(page, (s) => s.tag === 'a' && s.name === say('ar', 'nav.sensitivity'), 'the sensitivity screen', true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: say('ar', 'sensitivitySettings.title'), level: 1 }).waitFor();
    await page
      .getByRole('heading', {
        name: say('ar', 'sensitivitySettings.clearance', { level: say('ar', 'sensitivityLevel.restricted') }),
      })
      .waitFor();
    state = await tabTo(
      page,
      (s) => s.tag === 'select' && s.name.startsWith(say('ar', 'sensitivitySettings.defaultLevel')),
      'the default level',
    );
    assert.equal(state.value, 'internal');
    await arrowTo(page, 'partners');
    await tabTo(page, (s) => s.tag === 'button' && s.name === say('ar', 'sensitivitySettings.saveDefault'), 'save');
    await page.keyboard.press('Enter');
    await page.getByText(say('ar', 'sensitivitySettings.saved')).waitFor();
    const settings = await apiGet(page, `/api/v1/investigations/${investigationId}/sensitivity`);
    assert.equal(settings.body.default_sensitivity, 'partners');
    assert.equal(settings.body.version, 2, 'the default was sent with the version read');
    assert.deepEqual(settings.body.restricted_roles, []);
    await page.screenshot({ path: `${shots}/sensitivity-owner-ar-360.png`, fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });

  it('hides the restricted item from a viewer without the grant, and shows it once an owner grants it (ar, 360 px)', async () => {
    assert.notEqual(itemId, '', 'the item of the first test');
    const viewer = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(viewer, 'sens-viewer');
    assert.equal((await apiGet(viewer, `/api/v1/items/${itemId}`)).status, 404);
    const listed = await apiGet(viewer, `/api/v1/investigations/${investigationId}/items`);
    assert.deepEqual(listed.body.items, []);
    await viewer.goto(`${web.baseUrl}/investigations/${investigationId}/items/${itemId}`);
    await viewer.getByText(say('ar', 'error.notFound')).waitFor();
    await viewer.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    await viewer.getByText(say('ar', 'inventory.empty')).waitFor();
    assert.equal(await viewer.getByText(marking).count(), 0);

    // The viewer's sensitivity screen: read only, with their clearance.
    await viewer.goto(`${web.baseUrl}/investigations/${investigationId}/sensitivity`);
    await viewer.getByText(say('ar', 'sensitivitySettings.readOnly')).waitFor();
    await viewer
      .getByRole('heading', {
        name: say('ar', 'sensitivitySettings.clearance', { level: say('ar', 'sensitivityLevel.internal') }),
      })
      .waitFor();
    assert.equal(await viewer.locator('main select, main input[type="checkbox"]').count(), 0, 'nothing to change');
    await viewer.screenshot({ path: `${shots}/sensitivity-viewer-ar-360.png`, fullPage: true });

    // The owner grants viewers restricted records, with the keyboard.
    const page = await web.newPage({ locale: 'ar', width: 360 });
    await web.signIn(page, 'sens-owner');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sensitivity`);
    await page.getByRole('heading', { name: say('ar', 'sensitivitySettings.rolesTitle') }).waitFor();
    const allowViewer = say('ar', 'sensitivitySettings.allowRole', { role: say('ar', 'role.viewer') });
    const state = await tabTo(page, (s) => s.tag === 'input' && s.name === allowViewer, 'the viewer grant');
    assert.equal(state.checked, false);
    await page.keyboard.press('Space');
    await page
      .getByRole('listitem')
      .filter({ hasText: say('ar', 'sensitivitySettings.saved') })
      .waitFor();
    const settings = await apiGet(page, `/api/v1/investigations/${investigationId}/sensitivity`);
    assert.deepEqual(
      (settings.body.restricted_roles as { role: string }[]).map((grant) => grant.role),
      ['viewer'],
    );

    const now = await apiGet(viewer, `/api/v1/items/${itemId}`);
    assert.equal(now.status, 200);
    assert.equal(now.body.sensitivity, 'restricted');
    await viewer.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}`);
    const row = viewer.locator('.inventory-table tbody tr');
    await row
      .locator('.sensitivity-badge')
      .filter({ hasText: say('ar', 'sensitivityLevel.restricted') })
      .waitFor();
    await viewer.screenshot({ path: `${shots}/site-inventory-badge-ar-360.png`, fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });

  it('shows the item edit form and the sensitivity screen in English with no serious axe violation (en, 1280 px)', async () => {
    const page = await web.newPage({ locale: 'en', width: 1280 });
    await web.signIn(page, 'sens-owner');
    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sensitivity`);
    await page.getByRole('heading', { name: say('en', 'sensitivitySettings.title'), level: 1 }).waitFor();
    await expectNoSeriousAxeViolations(page, 'sensitivity screen, owner, en, 1280 px');
    await page.screenshot({ path: `${shots}/sensitivity-owner-en-1280.png`, fullPage: true });

    await page.goto(`${web.baseUrl}/investigations/${investigationId}/items/${itemId}`);
    await page.getByRole('button', { name: say('en', 'edit.item.button') }).click();
    const form = page.getByRole('form', { name: say('en', 'edit.item.title') });
    const level = form.getByLabel(say('en', 'sensitivity.label'), { exact: true });
    assert.equal(await level.inputValue(), 'restricted');
    assert.equal(await form.getByLabel(say('en', 'sensitivity.reason')).inputValue(), reason);
    await form.locator('.sensitivity-levels summary').click();
    await expectNoSeriousAxeViolations(page, 'item edit form with sensitivity, en, 1280 px');
    await page.screenshot({ path: `${shots}/item-edit-en-1280.png`, fullPage: true });

    // Widening it to internal sends the level with the version, and clears the reason given for restricted.
    const before = (await apiGet(page, `/api/v1/items/${itemId}`)).body;
    await level.selectOption('internal');
    await page.getByRole('button', { name: say('en', 'edit.save') }).click();
    await page.getByText(say('en', 'edit.saved')).waitFor();
    const after = (await apiGet(page, `/api/v1/items/${itemId}`)).body;
    assert.equal(after.sensitivity, 'internal');
    assert.equal(after.sensitivity_reason, null);
    assert.equal(after.version, (before.version as number) + 1);
    await page.locator('.record-badges .sensitivity-internal').waitFor();

    await page.goto(`${web.baseUrl}/investigations/${investigationId}/sites/${siteId}/items/new`);
    await page.getByRole('heading', { name: say('en', 'capture.title') }).waitFor();
    const captureLevel = page.getByLabel(say('en', 'sensitivity.whoMaySee'));
    await captureLevel
      .locator('option[value=""]')
      .filter({ hasText: say('en', 'sensitivityLevel.partners') })
      .waitFor({ state: 'attached' });
    await captureLevel.selectOption('restricted');
    await page.screenshot({ path: `${shots}/capture-en-1280.png`, fullPage: true });
    assert.deepEqual(web.pageErrors, []);
  });
});
