/**
 * The register screens in a browser (issue 11, items 4–6): actors found by an alias in another script, created and
 * merged after the preview; sources created, graded and edited; incidents created with casualty counts typed in
 * Arabic-Indic digits, items linked and unlinked. In English and in Arabic (at 360 px), checking the server's state
 * afterwards, with axe-core on every screen in both languages at 1280 and 360 px.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createActor, updateActor } from '../../src/features/actors/service.js';
import { addMember, createInvestigation } from '../../src/features/investigations/service.js';
import { createItem } from '../../src/features/items/service.js';
import { createSite } from '../../src/features/sites/service.js';
import { createSource } from '../../src/features/sources/service.js';
import { createTraceRequest } from '../../src/features/trace-requests/service.js';
import { createProvenanceClaim } from '../../src/features/provenance/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type TestLocale, type WebHarness } from './harness.js';

type Key = keyof typeof en;
const catalogues: Record<'en' | 'ar', Record<Key, string>> = { en, ar };
/** A message as the screen shows it, for messages without placeholders. */
const m = (locale: 'en' | 'ar', key: Key) => catalogues[locale][key];

describe('actors, sources and incidents in the web app', () => {
  let web: WebHarness;
  let investigationId: string;
  let siteId: string;
  let secondSiteId: string;
  let owner: Awaited<ReturnType<typeof createTestUser>>;
  const itemIds: string[] = [];

  before(async () => {
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'registers-owner');
    await createTestUser(web.db, 'registers-viewer');
    investigationId = (await createInvestigation(web.db, owner, { title: 'Northern caches' })).id;
    await addMember(web.db, owner, investigationId, { username: 'registers-viewer', role: 'viewer' });
    siteId = (
      await createSite(web.db, owner, investigationId, { site_type: 'checkpoint', name: 'Checkpoint 4', names: {} })
    ).id;
    secondSiteId = (
      await createSite(web.db, owner, investigationId, { site_type: 'cache', name: 'Market cellar', names: {} })
    ).id;
    for (const model of ['PG-7VM', 'OG-9']) {
      itemIds.push(
        (await createItem(web.db, owner, investigationId, { site_id: siteId, category: 'rocket', model })).id,
      );
    }
    await createActor(web.db, owner, investigationId, {
      actor_type: 'manufacturer',
      name: 'Arsenal Nord',
      aliases: ['Арсенал Север', 'ترسانة الشمال'],
      country_code: 'BG',
    });
    await createActor(web.db, owner, investigationId, { actor_type: 'state', name: 'Republic of Example' });
    await createSource(web.db, owner, investigationId, { kind: 'media_report', title: 'Seizure report' });
  });
  after(() => web.close());

  async function open(locale: TestLocale, width: number, path: string, user = 'registers-owner'): Promise<Page> {
    const page = await web.newPage({ locale, width });
    await web.signIn(page, user);
    await page.goto(`${web.baseUrl}${path}`);
    await page.locator('main h1').first().waitFor();
    return page;
  }

  it('finds an actor by an alias in another script and records one, in English and in Arabic at 360 px', async () => {
    const page = await open('en', 1280, `/investigations/${investigationId}/actors`);
    await page.getByLabel(m('en', 'actors.search')).fill('арсенал');
    // The list shows every actor before the search answers: wait for the other one to go.
    await page.getByRole('link', { name: 'Republic of Example' }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'Arsenal Nord' }).waitFor();
    await expectNoSeriousAxeViolations(page, 'actors, en, 1280 px');

    const arabic = await open('ar', 360, `/investigations/${investigationId}/actors`);
    // Teh marbuta typed as heh, as people often do: still found.
    await arabic.getByLabel(m('ar', 'actors.search')).fill('ترسانه');
    await arabic.getByRole('link', { name: 'Republic of Example' }).waitFor({ state: 'detached' });
    await arabic.getByRole('link', { name: 'Arsenal Nord' }).waitFor();
    await arabic.getByLabel(m('ar', 'actors.search')).fill('');
    await arabic.getByRole('button', { name: m('ar', 'actors.new') }).click();
    await arabic.locator('form.card').getByLabel(m('ar', 'actors.name'), { exact: true }).fill('مصنع الذخيرة ٧');
    await arabic
      .locator('form.card')
      .getByLabel(m('ar', 'actors.aliases'), { exact: true })
      .fill('Ammunition Plant 7\nЗавод 7');
    await arabic.locator('form.card').getByLabel(m('ar', 'actors.country'), { exact: true }).fill('E1');
    await arabic.getByRole('button', { name: m('ar', 'actors.create') }).click();
    // The server's field error, in Arabic, beside the country field; nothing was recorded.
    await arabic
      .locator('.field-invalid')
      .filter({ hasText: m('ar', 'actors.country') })
      .waitFor();
    await expectNoSeriousAxeViolations(arabic, 'actors with a field error, ar, 360 px');
    await arabic.locator('form.card').getByLabel(m('ar', 'actors.country'), { exact: true }).fill('eg');
    await arabic.getByRole('button', { name: m('ar', 'actors.create') }).click();
    await arabic.getByRole('heading', { level: 1, name: 'مصنع الذخيرة ٧' }).waitFor();
    await expectNoSeriousAxeViolations(arabic, 'actor, ar, 360 px');

    const stored = await web.db
      .selectFrom('actors')
      .select(['aliases', 'country_code', 'version'])
      .where('name', '=', 'مصنع الذخيرة ٧')
      .execute();
    assert.deepEqual(stored, [{ aliases: ['Ammunition Plant 7', 'Завод 7'], country_code: 'EG', version: 1 }]);
    assert.deepEqual(web.pageErrors, []);
  });

  it('edits an actor with the version check and archives it with a reason (en, 360 px)', async () => {
    const actor = await createActor(web.db, owner, investigationId, { actor_type: 'company', name: 'Arms Trading Co' });
    const page = await open('en', 360, `/investigations/${investigationId}/actors/${actor.id}`);
    await page.getByRole('button', { name: m('en', 'actors.edit') }).click();
    await page
      .locator('form.card')
      .getByLabel(m('en', 'actors.notes'), { exact: true })
      .fill('Checked against the register');
    // Someone else saves first.
    await updateActor(web.db, owner, actor.id, { version: 1, name: 'Arms Trading Company' });
    await page.getByRole('button', { name: m('en', 'register.save') }).click();
    await page.getByTestId('stale-edit').waitFor();
    await expectNoSeriousAxeViolations(page, 'actor stale edit, en, 360 px');
    const untouched = await web.db
      .selectFrom('actors')
      .select(['notes', 'version'])
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(untouched, { notes: '', version: 2 }, 'the stale save overwrote nothing');
    await page.getByRole('button', { name: m('en', 'record.stale.applyMine') }).click();
    await page.locator('dl').getByText('Checked against the register').waitFor();
    const applied = await web.db
      .selectFrom('actors')
      .select(['name', 'notes', 'version'])
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(applied, { name: 'Arms Trading Company', notes: 'Checked against the register', version: 3 });

    await page.getByRole('button', { name: m('en', 'record.archive.button'), exact: true }).click();
    const dialog = page.locator('dialog[open]');
    await dialog.getByLabel(m('en', 'record.archive.reason')).fill('Entered by mistake');
    await dialog.getByRole('button', { name: m('en', 'record.archive.confirm'), exact: true }).click();
    // Archived: the record says why, and offers no edit any more.
    await page.getByRole('button', { name: m('en', 'actors.edit') }).waitFor({ state: 'detached' });
    await page.locator('.page-header').getByText('Entered by mistake').waitFor();
    const archived = await web.db
      .selectFrom('actors')
      .select(['archived_at', 'archive_reason'])
      .where('id', '=', actor.id)
      .executeTakeFirstOrThrow();
    assert.equal(archived.archive_reason, 'Entered by mistake');
    assert.notEqual(archived.archived_at, null);
    await expectNoSeriousAxeViolations(page, 'archived actor with history, en, 360 px');
    assert.deepEqual(web.pageErrors, []);
  });

  async function duplicatePair(suffix: string) {
    const actor = owner;
    const kept = await createActor(web.db, actor, investigationId, {
      actor_type: 'manufacturer',
      name: `Factory ${suffix}`,
    });
    const duplicate = await createActor(web.db, actor, investigationId, {
      actor_type: 'manufacturer',
      name: `Завод ${suffix}`,
      aliases: [`مصنع ${suffix}`],
      country_code: 'RU',
    });
    const request = await createTraceRequest(web.db, actor, investigationId, {
      addressee_id: duplicate.id,
      subject: `Lot ${suffix}`,
    });
    const claim = await createProvenanceClaim(web.db, actor, investigationId, {
      item_id: itemIds[0],
      event_type: 'produced',
      actor_id: duplicate.id,
      confidence: 'probable',
    });
    return { kept, duplicate, request, claim };
  }

  for (const [locale, width] of [
    ['en', 1280],
    ['ar', 360],
  ] as const) {
    it(`merges two actors after the preview (${locale}, ${width} px)`, async () => {
      const { kept, duplicate, request, claim } = await duplicatePair(`${locale}${width}`);
      const page = await open(locale, width, `/investigations/${investigationId}/actors/${duplicate.id}`);
      await page.getByLabel(m(locale, 'merge.into')).selectOption(kept.id);
      await page.getByRole('button', { name: m(locale, 'merge.preview') }).click();
      const preview = page.getByTestId('merge-preview');
      await preview.waitFor();
      assert.match((await preview.textContent()) ?? '', new RegExp(`Lot ${locale}${width}`));
      await expectNoSeriousAxeViolations(page, `actor merge preview, ${locale}, ${width} px`);
      // The preview changed nothing.
      const before = await web.db
        .selectFrom('actors')
        .select('version')
        .where('id', '=', duplicate.id)
        .executeTakeFirstOrThrow();
      assert.equal(before.version, 1);

      await page.getByRole('button', { name: m(locale, 'merge.confirm') }).click();
      await page.getByRole('heading', { level: 1, name: kept.name }).waitFor();

      const merged = await web.db
        .selectFrom('actors')
        .select(['archived_at', 'archive_reason'])
        .where('id', '=', duplicate.id)
        .executeTakeFirstOrThrow();
      assert.notEqual(merged.archived_at, null);
      const keptAfter = await web.db
        .selectFrom('actors')
        .select(['aliases', 'country_code'])
        .where('id', '=', kept.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(keptAfter, { aliases: [duplicate.name, ...duplicate.aliases], country_code: 'RU' });
      const requestAfter = await web.db
        .selectFrom('trace_requests')
        .select('addressee_id')
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      assert.equal(requestAfter.addressee_id, kept.id);
      const claimAfter = await web.db
        .selectFrom('provenance_claims')
        .select('actor_id')
        .where('id', '=', claim.id)
        .executeTakeFirstOrThrow();
      assert.equal(claimAfter.actor_id, kept.id);
      assert.deepEqual(web.pageErrors, []);
    });
  }

  it('creates and grades a source in English, edits it in Arabic at 360 px', async () => {
    const page = await open('en', 1280, `/investigations/${investigationId}/sources`);
    await expectNoSeriousAxeViolations(page, 'sources, en, 1280 px');
    await page.getByRole('button', { name: m('en', 'sources.new') }).click();
    await page
      .locator('form.card')
      .getByLabel(m('en', 'sources.titleField'), { exact: true })
      .fill('Cache found near the river');
    await page
      .locator('form.card')
      .getByLabel(m('en', 'sources.url'), { exact: true })
      .fill('ftp://example.org/report');
    await page.locator('form.card').getByLabel(m('en', 'sources.reliability')).selectOption('B');
    await page.locator('form.card').getByLabel(m('en', 'sources.credibility')).selectOption('2');
    await page.locator('form.card').getByLabel(m('en', 'sources.creditLine'), { exact: true }).fill('Image source: QQ');
    await page.getByRole('button', { name: m('en', 'sources.create') }).click();
    await page
      .locator('.field-invalid')
      .filter({ hasText: m('en', 'sources.url') })
      .waitFor();
    await page
      .locator('form.card')
      .getByLabel(m('en', 'sources.url'), { exact: true })
      .fill('https://example.org/report');
    await page.getByRole('button', { name: m('en', 'sources.create') }).click();
    await page.getByRole('heading', { level: 1, name: 'Cache found near the river' }).waitFor();
    await page.getByText('Usually reliable, Probably true').waitFor();
    await expectNoSeriousAxeViolations(page, 'source, en, 1280 px');
    const created = await web.db
      .selectFrom('sources')
      .select(['id', 'reliability', 'credibility', 'credit_line', 'url'])
      .where('title', '=', 'Cache found near the river')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...created, id: undefined },
      {
        id: undefined,
        reliability: 'B',
        credibility: 2,
        credit_line: 'Image source: QQ',
        url: 'https://example.org/report',
      },
    );

    const arabic = await open('ar', 360, `/investigations/${investigationId}/sources/${created.id}`);
    await expectNoSeriousAxeViolations(arabic, 'source, ar, 360 px');
    await arabic.getByRole('button', { name: m('ar', 'sources.edit') }).click();
    await arabic.locator('form.card').getByLabel(m('ar', 'sources.credibility')).selectOption('3');
    await arabic
      .locator('form.card')
      .getByLabel(m('ar', 'sources.creditLine'), { exact: true })
      .fill('مصدر الصورة: QQ');
    await arabic.getByRole('button', { name: m('ar', 'register.save') }).click();
    await arabic.locator('dl').getByText('مصدر الصورة: QQ').waitFor();
    const edited = await web.db
      .selectFrom('sources')
      .select(['credibility', 'credit_line', 'version'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(edited, { credibility: 3, credit_line: 'مصدر الصورة: QQ', version: 2 });

    const list = await open('ar', 360, `/investigations/${investigationId}/sources`);
    await list.getByRole('link', { name: 'Cache found near the river' }).waitFor();
    await expectNoSeriousAxeViolations(list, 'sources, ar, 360 px');
    assert.deepEqual(web.pageErrors, []);
  });

  it('creates an incident with counts in Arabic-Indic digits and links items (ar, 360 px), edits it in English', async () => {
    const page = await open('ar', 360, `/investigations/${investigationId}/incidents`);
    await expectNoSeriousAxeViolations(page, 'incidents, ar, 360 px');
    await page.getByRole('button', { name: m('ar', 'incidents.new') }).click();
    await page
      .locator('form.card')
      .getByLabel(m('ar', 'incidents.titleField'), { exact: true })
      .fill('مصادرة عند الحاجز');
    await page.locator('form.card').getByLabel(m('ar', 'incidents.site'), { exact: true }).selectOption(siteId);
    await page.locator('form.card').getByLabel(m('ar', 'incidents.killed'), { exact: true }).fill('٣');
    await page.locator('form.card').getByLabel(m('ar', 'incidents.injured'), { exact: true }).fill('١٢');
    await page.getByRole('button', { name: m('ar', 'incidents.create') }).click();
    await page.getByRole('heading', { level: 1, name: 'مصادرة عند الحاجز' }).waitFor();
    await page.getByText('OG-9').waitFor();
    await expectNoSeriousAxeViolations(page, 'incident, ar, 360 px');
    const linkButtons = page.getByRole('button', { name: m('ar', 'incidents.link'), exact: true });
    await linkButtons.first().click();
    await page.getByTestId('linked-items').getByRole('link').first().waitFor();
    await linkButtons.first().click();
    await page.getByTestId('linked-items').getByRole('link').nth(1).waitFor();

    const incident = await web.db
      .selectFrom('incidents')
      .select(['id', 'killed', 'injured', 'site_id'])
      .where('title', '=', 'مصادرة عند الحاجز')
      .executeTakeFirstOrThrow();
    assert.deepEqual({ ...incident, id: undefined }, { id: undefined, killed: 3, injured: 12, site_id: siteId });
    const links = async () =>
      (await web.db.selectFrom('incident_items').select('item_id').where('incident_id', '=', incident.id).execute())
        .map((row) => row.item_id)
        .sort();
    assert.deepEqual(await links(), [...itemIds].sort());

    // A second site, chosen from the investigation's other sites (ar, 360 px).
    await page.getByLabel(m('ar', 'incidents.siteToLink'), { exact: true }).selectOption(secondSiteId);
    await page.getByRole('button', { name: m('ar', 'incidents.linkSite'), exact: true }).click();
    await page.getByTestId('linked-sites').getByRole('link').nth(1).waitFor();
    await expectNoSeriousAxeViolations(page, 'incident with two sites, ar, 360 px');
    await page.screenshot({ path: '/tmp/registers/incident-sites-ar-360.png', fullPage: true });
    const siteLinks = async () =>
      (
        await web.db
          .selectFrom('incident_sites')
          .select('site_id')
          .where('incident_id', '=', incident.id)
          .orderBy('created_at')
          .execute()
      ).map((row) => row.site_id);
    assert.deepEqual(await siteLinks(), [siteId, secondSiteId]);

    const english = await open('en', 1280, `/investigations/${investigationId}/incidents/${incident.id}`);
    await expectNoSeriousAxeViolations(english, 'incident, en, 1280 px');
    await english
      .getByTestId('linked-items')
      .getByRole('button', { name: m('en', 'incidents.unlink') })
      .first()
      .click();
    await english.getByRole('heading', { name: '1 item involved' }).waitFor();
    assert.equal((await links()).length, 1);
    // Unlinking the incident's own site: the other site remains, and becomes its site.
    await english.getByRole('button', { name: 'Unlink Checkpoint 4' }).click();
    await english.getByRole('heading', { name: '1 site involved' }).waitFor();
    assert.deepEqual(await siteLinks(), [secondSiteId]);
    const audited = await web.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', incident.id)
      .where('action', 'in', ['incident.link_site', 'incident.unlink_site'])
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audited.map((entry) => entry.action),
      ['incident.link_site', 'incident.link_site', 'incident.unlink_site'],
    );
    await english.getByRole('button', { name: m('en', 'incidents.edit') }).click();
    await english.locator('form.card').getByLabel(m('en', 'incidents.injured'), { exact: true }).fill('about 12');
    await english.getByRole('button', { name: m('en', 'register.save') }).click();
    await english.getByText(m('en', 'incidents.countUnreadable')).waitFor();
    await english.locator('form.card').getByLabel(m('en', 'incidents.injured'), { exact: true }).fill('۱۴');
    await english.locator('form.card').getByLabel(m('en', 'incidents.site'), { exact: true }).selectOption('');
    await english.getByRole('button', { name: m('en', 'register.save') }).click();
    await english.getByRole('button', { name: m('en', 'incidents.edit') }).waitFor();
    const edited = await web.db
      .selectFrom('incidents')
      .select(['injured', 'site_id', 'version'])
      .where('id', '=', incident.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(edited, { injured: 14, site_id: null, version: 3 });

    const list = await open('en', 1280, `/investigations/${investigationId}/incidents`);
    await list.getByRole('link', { name: 'مصادرة عند الحاجز' }).waitFor();
    await expectNoSeriousAxeViolations(list, 'incidents, en, 1280 px');
    assert.deepEqual(web.pageErrors, []);
  });

  it('offers a viewer no writes, and every list passes axe at both widths in both languages', async () => {
    for (const path of ['actors', 'sources', 'incidents']) {
      const viewer = await open('en', 1280, `/investigations/${investigationId}/${path}`, 'registers-viewer');
      await viewer
        .locator('table')
        .waitFor()
        .catch(async (error: unknown) => {
          await viewer.screenshot({ path: `/tmp/registers/viewer-${path}.png` });
          throw error;
        });
      assert.equal(await viewer.getByRole('button', { name: /^New / }).count(), 0, `${path}: no create for a viewer`);
      await viewer
        .getByRole('link')
        .filter({ hasText: /Arsenal Nord|Seizure report|مصادرة/ })
        .first()
        .click();
      await viewer.locator('main h1').first().waitFor();
      assert.equal(await viewer.getByRole('button', { name: /^Edit / }).count(), 0, `${path}: no edit for a viewer`);
      assert.equal(await viewer.getByRole('button', { name: m('en', 'record.archive.button') }).count(), 0);
      assert.equal(await viewer.getByRole('heading', { name: m('en', 'merge.title') }).count(), 0);
    }
    for (const [locale, width] of [
      ['en', 360],
      ['ar', 1280],
    ] as const) {
      for (const path of ['actors', 'sources', 'incidents']) {
        const page = await open(locale, width, `/investigations/${investigationId}/${path}`);
        await page.locator('table').waitFor();
        await expectNoSeriousAxeViolations(page, `${path}, ${locale}, ${width} px`);
      }
    }
    assert.deepEqual(web.pageErrors, []);
  });
});
