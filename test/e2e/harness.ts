// One harness for the browser tests: the built app (web/dist) served by the
// real server in-process on a test database (PGlite, or PostgreSQL when
// DATABASE_URL is set), driven through Debian's Chromium with playwright-core.
// New browser tests start here instead of repeating the set-up.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { DB } from '../../src/db/tables.js';
import { buildApp } from '../../src/http/app.js';
import { defaultWebRoot } from '../../src/http/static.js';
import type { ApiApp } from '../../src/http/types.js';
import type { JobQueue } from '../../src/jobs/index.js';
import { createEvidenceStore } from '../../src/storage/create.js';
import { startTestJobs, type TestJobs } from '../../src/testing/jobs.js';
import { createTestDatabase, testPassword, type TestDatabase } from '../../src/testing/test-database.js';

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

export type TestLocale = 'en' | 'ar' | 'fr';

/** Browser locales that make the app pick each language on a first visit. */
const browserLocale: Record<TestLocale, string> = { en: 'en-GB', ar: 'ar', fr: 'fr-FR' };

export interface PageOptions {
  locale?: TestLocale;
  /** 1280 (desktop, the default) or 360 (phone), or any width. */
  width?: number;
  height?: number;
  /**
   * The app must work offline: refuse every request to another host than the app's, and record it in
   * {@link WebHarness.foreignRequests} (assert it stays empty).
   */
  refuseOtherHosts?: boolean;
}

export interface WebHarness {
  test: TestDatabase;
  db: Kysely<DB>;
  app: ApiApp;
  config: Config;
  baseUrl: string;
  browser: Browser;
  /** The started job queue, when asked for (`jobs: true`). */
  jobs: JobQueue | undefined;
  /** Uncaught errors of every page opened through the harness; assert it stays empty. */
  pageErrors: string[];
  /** Requests to other hosts of the pages opened with `refuseOtherHosts` (refused); assert it stays empty. */
  foreignRequests: string[];
  /** A fresh browser context (own cookies and storage) and a page in it. */
  newPage(options?: PageOptions): Promise<Page>;
  /** Signs in through the sign-in form (any language) and waits for the investigations list. */
  signIn(page: Page, username: string, password?: string): Promise<void>;
  close(): Promise<void>;
}

/** Fails loudly (never skips) when the app is not built or Chromium is missing. */
export function requireBuiltApp(): void {
  if (!fs.existsSync(path.join(defaultWebRoot, 'index.html'))) {
    throw new Error(`The web app is not built (${defaultWebRoot} has no index.html): run npm run build:web`);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
}

/**
 * Starts a test database, the server on a free port with a media store of its
 * own, and Chromium. Call `close()` in `after()`.
 *
 * @example
 * let web: WebHarness;
 * before(async () => {
 *   web = await startWebHarness();
 *   await createTestUser(web.db, 'analyst');
 * });
 * after(() => web.close());
 * it('…', async () => {
 *   const page = await web.newPage({ locale: 'ar', width: 360 });
 *   await web.signIn(page, 'analyst');
 * });
 */
export async function startWebHarness(
  options: {
    env?: Record<string, string>;
    /** The features' jobs always run in this process; true runs them through pg-boss on PostgreSQL, as `serve` does. */
    jobs?: boolean;
  } = {},
): Promise<WebHarness> {
  requireBuiltApp();
  const test = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-web-test-'));
  const contexts: BrowserContext[] = [];
  let app: ApiApp | undefined;
  let browser: Browser | undefined;
  let jobs: TestJobs | undefined;
  try {
    const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent', ...options.env });
    // The features' jobs run in this process, as `serve` runs them (the import screen's import is a job); with
    // `jobs: true` on PostgreSQL through pg-boss, as a deployment runs them.
    const store = createEvidenceStore(config);
    jobs = await startTestJobs(test, store, config, { pgBoss: options.jobs === true });
    app = await buildApp({ db: test.db, config, store, logger: false, jobs: jobs.queue });
    const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const appHost = new URL(baseUrl).host;
    const pageErrors: string[] = [];
    const foreignRequests: string[] = [];
    const openBrowser = browser;
    const openApp = app;
    const openJobs = jobs;
    return {
      test,
      db: test.db,
      app,
      config,
      baseUrl,
      browser,
      jobs: jobs.queue,
      pageErrors,
      foreignRequests,
      async newPage({ locale = 'en', width = 1280, height, refuseOtherHosts = false } = {}) {
        const context = await openBrowser.newContext({
          viewport: { width, height: height ?? (width <= 480 ? 780 : 900) },
          locale: browserLocale[locale],
        });
        contexts.push(context);
        // The app chooses its language from the saved choice first: save it, so a test's language is certain. Only
        // when none is saved yet (the script runs at every load), so a language chosen in the app survives a reload.
        await context.addInitScript((chosen) => {
          const storage = (
            globalThis as {
              localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
            }
          ).localStorage;
          if (storage !== undefined && storage.getItem('armtrace.locale') === null) {
            storage.setItem('armtrace.locale', chosen);
          }
        }, locale);
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        page.on('pageerror', (error) => pageErrors.push(error.message));
        if (refuseOtherHosts) {
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
        }
        await page.goto(baseUrl);
        return page;
      },
      async signIn(page, username, password = testPassword) {
        await page.goto(baseUrl);
        await page.locator('input[autocomplete="username"]').fill(username);
        await page.locator('input[type="password"]').fill(password);
        await page.locator('form button[type="submit"]').click();
        await page.locator('input[autocomplete="current-password"]').waitFor({ state: 'detached' });
        await page.locator('main h1, main h2').first().waitFor();
      },
      async close() {
        for (const context of contexts) await context.close().catch(() => undefined);
        await openBrowser.close();
        await openApp.close();
        await openJobs.stop();
        await test.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await app?.close();
    await jobs?.stop();
    await test.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (WCAG 2.1 A and AA rules) and fails on any serious
 * or critical violation, naming the rule and the elements. `where` names the
 * screen, language and width in the failure message.
 *
 * axe-core is injected directly: @axe-core/playwright needs Node 22.
 * @example
 * await expectNoSeriousAxeViolations(page, 'trace requests, ar, 360 px');
 */
export async function expectNoSeriousAxeViolations(page: Page, where: string): Promise<void> {
  // Evaluated through the DevTools protocol: the app's CSP (rightly) refuses an inline <script>.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(
            context: unknown,
            options: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  assert.deepEqual(
    serious.map(
      (violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.targets.join(', ')}`,
    ),
    [],
    `axe-core found serious or critical violations on ${where}`,
  );
}
