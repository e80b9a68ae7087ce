// The screens the accessibility tests visit and how they visit them; accessibility-en.test.ts and
// accessibility-ar.test.ts run it for one language each (one file ran for ≈8 minutes on a loaded CI machine and
// met the per-file time limit).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { loadExampleInvestigation } from '../../src/features/demo/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type TestLocale, type WebHarness } from './harness.js';

/** The records a screen's address can name: the example investigation, one of its sites, one of its items. */
interface ExampleRecords {
  investigationId: string;
  siteId: string;
  itemId: string;
  actorId: string;
  sourceId: string;
  incidentId: string;
  traceRequestId: string;
}

interface Screen {
  name: string;
  /** The address of the screen. */
  path: (records: ExampleRecords) => string;
  /** Screens shown before signing in (sign-in itself). */
  signedOut?: boolean;
}

// One line per screen.
const base = ({ investigationId }: ExampleRecords) => `/investigations/${investigationId}`;
const screens: Screen[] = [
  { name: 'sign-in', path: () => '/', signedOut: true },
  { name: 'home', path: () => '/' },
  { name: 'overview', path: ({ investigationId }) => `/investigations/${investigationId}` },
  { name: 'map', path: ({ investigationId }) => `/investigations/${investigationId}/map` },
  { name: 'map, craft layer', path: ({ investigationId }) => `/investigations/${investigationId}/map?layer=craft` },
  { name: 'site', path: ({ investigationId, siteId }) => `/investigations/${investigationId}/sites/${siteId}` },
  { name: 'item', path: ({ investigationId, itemId }) => `/investigations/${investigationId}/items/${itemId}` },
  {
    name: 'capture',
    path: ({ investigationId, siteId }) => `/investigations/${investigationId}/sites/${siteId}/items/new`,
  },
  { name: 'search', path: ({ investigationId }) => `/investigations/${investigationId}/search?q=KL-0417` },
  { name: 'analysis', path: ({ investigationId }) => `/investigations/${investigationId}/analysis` },
  { name: 'members', path: ({ investigationId }) => `/investigations/${investigationId}/members` },
  { name: 'sensitivity', path: (records) => `${base(records)}/sensitivity` },
  { name: 'settings', path: () => '/settings' },
  { name: 'outbox', path: () => '/outbox' },
  { name: 'not found', path: () => '/no-such-page' },
  // Issue 11, items 2–9.
  { name: 'trace requests', path: (records) => `${base(records)}/trace-requests` },
  { name: 'trace request', path: (records) => `${base(records)}/trace-requests/${records.traceRequestId}` },
  { name: 'shared lots', path: (records) => `${base(records)}/lots` },
  { name: 'actors', path: (records) => `${base(records)}/actors` },
  { name: 'actor', path: (records) => `${base(records)}/actors/${records.actorId}` },
  { name: 'sources', path: (records) => `${base(records)}/sources` },
  { name: 'source', path: (records) => `${base(records)}/sources/${records.sourceId}` },
  { name: 'incidents', path: (records) => `${base(records)}/incidents` },
  { name: 'incident', path: (records) => `${base(records)}/incidents/${records.incidentId}` },
  { name: 'import', path: (records) => `${base(records)}/import` },
  { name: 'downloads', path: (records) => `${base(records)}/downloads` },
  { name: 'audit log', path: (records) => `${base(records)}/audit` },
  { name: 'verify', path: () => '/verify' },
];

const widths = [1280, 360];

/** Waits until the screen has its data: no request in flight and no loading notice left. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.locator('main h1, main h2').first().waitFor();
  await page.locator('[aria-busy="true"], .loading').first().waitFor({ state: 'detached', timeout: 20_000 });
}

/**
 * Every screen in one language, at 1280 and 360 px: axe-core (WCAG 2.1 A and AA) finds no serious or critical
 * violation, the page is in that language and direction, nothing widens the page, no page error. One signed-in
 * page per width visits every screen in turn (signing in again for each screen was a third of the time).
 * @example
 * describeAccessibilityOfEveryScreen('ar');
 */
export function describeAccessibilityOfEveryScreen(locale: TestLocale): void {
  describe(`accessibility of every screen (axe-core, ${locale}, 1280 and 360 px)`, () => {
    let web: WebHarness;
    let records: ExampleRecords;
    let auditEntriesBefore: number;
    const signedInPages = new Map<number, Page>();

    const auditEntries = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(web.db)).rows[0]!.n);

    before(async () => {
      web = await startWebHarness();
      const analyst = await createTestUser(web.db, 'analyst');
      const { id: investigationId } = await loadExampleInvestigation(web.db, analyst);
      // The item with the most markings, so the item page shows its markings table.
      const item = await web.db
        .selectFrom('items')
        .innerJoin('markings', 'markings.item_id', 'items.id')
        .where('items.investigation_id', '=', investigationId)
        .groupBy(['items.id', 'items.site_id'])
        .select(['items.id', 'items.site_id'])
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('items.id')
        .executeTakeFirstOrThrow();
      const firstOf = async (table: 'actors' | 'sources' | 'incidents' | 'trace_requests') =>
        (
          await web.db
            .selectFrom(table)
            .select('id')
            .where('investigation_id', '=', investigationId)
            .orderBy('id')
            .executeTakeFirstOrThrow()
        ).id;
      records = {
        investigationId,
        siteId: item.site_id,
        itemId: item.id,
        actorId: await firstOf('actors'),
        sourceId: await firstOf('sources'),
        incidentId: await firstOf('incidents'),
        traceRequestId: await firstOf('trace_requests'),
      };
      auditEntriesBefore = await auditEntries();
    });

    after(async () => {
      await web.close();
    });

    /** A page for a signed-out screen is new each time; a signed-in one is kept per width. */
    async function pageFor(screen: Screen, width: number): Promise<Page> {
      if (screen.signedOut === true) return web.newPage({ locale, width });
      let page = signedInPages.get(width);
      if (page === undefined) {
        page = await web.newPage({ locale, width });
        await web.signIn(page, 'analyst');
        signedInPages.set(width, page);
      }
      return page;
    }

    for (const screen of screens) {
      for (const width of widths) {
        const where = `${screen.name}, ${locale}, ${width} px`;
        it(where, async () => {
          const page = await pageFor(screen, width);
          await page.goto(`${web.baseUrl}${screen.path(records)}`);
          await settle(page);
          assert.equal(await page.locator('html').getAttribute('lang'), locale);
          assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar' ? 'rtl' : 'ltr');
          await expectNoSeriousAxeViolations(page, where);
          // Nothing widens the page: at 360 px a sideways-scrolling page hides the other half of every line.
          assert.equal(await page.evaluate('document.documentElement.scrollWidth'), width, `page width on ${where}`);
          assert.deepEqual(web.pageErrors, [], `page errors on ${where}`);
          if (screen.signedOut === true) await page.context().close();
        });
      }
    }

    it('changed nothing on the server by showing the screens', async () => {
      // Viewing is never a write: the audit log has exactly the entries of loading the example.
      assert.equal(await auditEntries(), auditEntriesBefore);
    });
  });
}
