import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { Actor } from '../access/schema.js';
import { createActor } from '../actors/service.js';
import { addMember } from '../investigations/service.js';
import { createSource } from '../sources/service.js';
import { createTraceRequest } from '../trace-requests/service.js';
import { createProvenanceClaim } from '../provenance/service.js';
import { createTestItem, createTestMedia, createTestSite } from '../../testing/records.js';
import { chromiumPath } from './pdf.js';
import { translate } from '../../i18n/messages.js';
import { reportText } from './i18n.js';
import { buildReportHtml, buildReportPdf } from './service.js';

// Text that must never reach a report: internal notes and names of people.
const secrets = {
  sourceNotes: 'NOTE-ON-SOURCE-7f3a',
  claimNotes: 'NOTE-ON-CLAIM-91bc',
  actorNotes: 'NOTE-ON-ACTOR-44d0',
  interviewee: 'Interviewee Karim Doe',
  interviewPublisher: 'Recorded by Jane Roe',
  photographer: 'Photographer Lena Poe',
  recoveredBy: 'Officer Sam Moe',
  username: 'zq-analyst',
};

/** Every element is closed, in order: the page is well formed (void and self-closed elements aside). */
function assertWellFormed(html: string): void {
  const voidElements = new Set(['meta', 'br', 'hr', 'img', 'link', 'input']);
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of html.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const tag = name!.toLowerCase();
    if (voidElements.has(tag) || selfClosing === '/') continue;
    if (closing === '') open.push(tag);
    else assert.equal(open.pop(), tag, `</${tag}> closes another element`);
  }
  assert.deepEqual(open, [], 'elements left open');
}

describe('report', () => {
  let world: TestWorld;
  let analyst: Actor;
  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, secrets.username);
    await addMember(world.db, world.owner, world.investigationId, { username: secrets.username, role: 'editor' });
    const row = await world.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', secrets.username)
      .executeTakeFirstOrThrow();
    analyst = { userId: row.id, username: secrets.username, isAdmin: false, via: 'api' };
    const inv = world.investigationId;

    const report = await createSource(world.db, analyst, inv, {
      kind: 'media_report',
      title: 'Photo report on the workshop',
      publisher: 'Example News',
      published_on: '2017-02-10',
      credit_line: 'Image source: Example News',
      reliability: 'B',
      credibility: 2,
      notes: secrets.sourceNotes,
    });
    await createSource(world.db, analyst, inv, {
      kind: 'interview',
      title: secrets.interviewee,
      publisher: secrets.interviewPublisher,
      reliability: 'C',
      credibility: 3,
    });
    await createTestMedia(world.db, analyst, inv, {
      original_filename: 'IMG_0001.jpg',
      credit: 'Photo: Example News',
      captured_by: secrets.photographer,
      source_id: report.id,
    });

    const factory = await createActor(world.db, analyst, inv, {
      actor_type: 'manufacturer',
      name: 'Завод 10',
      country_code: 'RU',
      notes: secrets.actorNotes,
    });
    const workshop = await createTestSite(world.db, analyst, inv, {
      name: 'Workshop east',
      site_type: 'production_workshop',
      latitude: 36.34,
      longitude: 43.16,
      recovered_on: '2017-01-18',
      recovered_by: secrets.recoveredBy,
    });
    await createTestItem(world.db, analyst, inv, {
      siteId: workshop,
      category: 'rocket',
      quantity: 40,
      productionType: 'craft',
    });
    await createTestItem(world.db, analyst, inv, {
      siteId: workshop,
      category: 'mortar_bomb',
      quantity: 12,
      externalRef: 'MB-01',
      markings: [{ text: 'КЛ 0417', kind: 'lot' }],
    });
    await createProvenanceClaim(world.db, analyst, inv, {
      lot_marking: 'КЛ 0417',
      event_type: 'produced',
      actor_id: factory.id,
      occurred_from: '1989-01-01',
      occurred_to: '1989-12-31',
      confidence: 'confirmed',
      source_id: report.id,
      notes: secrets.claimNotes,
    });
    await createTraceRequest(world.db, analyst, inv, {
      addressee_id: factory.id,
      subject: 'Lot КЛ 0417',
      status: 'sent',
      sent_on: '2017-03-01',
      due_on: '2017-04-01',
    });
  });
  after(async () => {
    await world.close();
  });

  it('holds the figures, charts, methods, graded sources and photo credits, and nothing internal', async () => {
    const html = await buildReportHtml(world.db, analyst, world.investigationId, { lang: 'en', asOf: '2017-06-01' });
    assert.match(html, /^<!DOCTYPE html>/);
    assertWellFormed(html);
    assert.match(html, /<html lang="en" dir="ltr">/);
    assert.match(html, /Items by country of production/);
    assert.match(html, /Russia \(RU\)/, 'country named from its code');
    // One of two item records is attributed to RU (through its lot): 50.0%.
    assert.match(
      html,
      /<td>Russia \(RU\)<\/td><td class="num">1<\/td><td class="num">50\.0%<\/td><td class="num">12<\/td>/,
    );
    assert.match(html, /Time from lawful export to recovery/);
    // Production in 1989 (latest 1989-12-31) to recovery on 2017-01-18: 27.05 years.
    assert.match(html, /<td class="num">27\.1<\/td>/);
    assert.match(html, /Open trace requests by addressee and age/);
    assert.ok((html.match(/<svg class="chart"/g) ?? []).length >= 5, 'charts are inline SVG');
    assert.ok(!/<script|<link|src="http/i.test(html), 'self-contained: no scripts, no external assets');
    assert.match(html, /Methods/);
    assert.match(html, /Confirmed: established by a trace-request answer/);
    assert.match(html, /Photo report on the workshop/);
    assert.match(html, /<bdi>B2<\/bdi>/, 'source grading');
    assert.match(html, /Photo: Example News/, 'photo credit');
    assert.match(html, /<bdi>КЛ 0417<\/bdi>/, 'user data as entered');
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(!html.includes(secret), `${what} must not appear in the report`);
    }
  });

  it('is right to left with Arabic headings in Arabic, data as entered', async () => {
    const html = await buildReportHtml(world.db, analyst, world.investigationId, { lang: 'ar', asOf: '2017-06-01' });
    assertWellFormed(html);
    assert.match(html, /<html lang="ar" dir="rtl">/);
    assert.match(html, /القطع حسب بلد الإنتاج/);
    assert.match(html, /المنهجية/);
    assert.match(html, /روسيا \(RU\)/);
    assert.match(html, /<bdi>Photo report on the workshop<\/bdi>/);
    assert.match(html, /<bdi>Завод 10<\/bdi>/);
    for (const secret of Object.values(secrets)) assert.ok(!html.includes(secret));
  });

  it('says what the web app says: one catalogue, in English, Arabic and French', async () => {
    for (const lang of ['en', 'ar', 'fr'] as const) {
      const html = await buildReportHtml(world.db, analyst, world.investigationId, { lang, asOf: '2017-06-01' });
      assertWellFormed(html);
      assert.match(html, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`));
      // The category labels of the items in the report are the web app's labels.
      for (const category of ['rocket', 'mortar_bomb'] as const) {
        assert.ok(html.includes(translate(lang, `category.${category}`)), `${lang}: label of ${category}`);
      }
      assert.equal(reportText[lang].categories.fuze, translate(lang, 'category.fuze'));
      assert.equal(reportText[lang].events.recovered, translate(lang, 'provenanceEvent.recovered'));
      assert.equal(reportText[lang].statuses.sent, translate(lang, 'traceStatus.sent'));
    }
    assert.equal(reportText.ar.categories.fuze, 'صمام تفجير');
    // Counts in the report's sentences take the plural form of their language.
    assert.equal(reportText.en.undatedSites(1), '1 production site without a recovery date is not shown.');
    assert.equal(reportText.en.undatedSites(2), '2 production sites without a recovery date are not shown.');
    assert.match(reportText.en.lot('X', 1), /\(1 item record\)$/);
    assert.match(reportText.ar.lot('X', 2), /\(سجلان\)$/);
    const french = await buildReportHtml(world.db, analyst, world.investigationId, { lang: 'fr', asOf: '2017-06-01' });
    assert.match(french, /Objets par pays de production/);
    assert.match(french, /Méthode/);
  });

  it('serves the HTML to members only', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/report.html?lang=ar`,
      headers: { cookie: await world.cookieFor('owner') },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(response.headers['content-type'] as string, /^text\/html/);
    assert.match(response.body, /^<!DOCTYPE html>/);
    const outsider = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/report.html`,
      headers: { cookie: await world.cookieFor('outsider') },
    });
    assert.equal(outsider.statusCode, 404);
  });

  it('prints a PDF with Chromium', async () => {
    if (!fs.existsSync(chromiumPath())) {
      assert.fail(
        `Chromium is missing at ${chromiumPath()}: the PDF report cannot be tested. Install it with ` +
          '`apt-get install -y chromium fonts-noto-core` (scripts/test-all.sh does) or set CHROMIUM_PATH.',
      );
    }
    const pdf = await buildReportPdf(world.db, analyst, world.investigationId, { lang: 'ar', asOf: '2017-06-01' });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.length > 20_000, `a PDF of ${pdf.length} bytes is too small to hold the report`);
  });
});
