// Database-independent: enrolment and the code check are the browser's and the server's TOTP code; the rows they
// write and read (secret, recovery codes, sessions) are checked on both databases by src/features/users/two-factor.test.ts.
/**
 * Two-factor sign-in in a browser (issue 15, item 4): enrol on the settings page (secret shown once, then the
 * recovery codes), then sign in again with the password and a code from the authenticator.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { chromium, type Browser } from 'playwright-core';
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

// As in web.test.ts (importing it would run its tests too).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

/** A code of the step `offset` steps from now, computed away from a step boundary. */
async function codeAt(secret: string, offset: number): Promise<string> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 27_000) await sleep(30_000 - intoStep + 50);
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + offset * 30_000 });
}

describe('two-factor sign-in in the web app', () => {
  let test: TestDatabase | undefined;
  let app: ApiApp | undefined;
  let browser: Browser | undefined;
  let baseUrl: string;
  let dataDir: string | undefined;

  before(async () => {
    if (!fs.existsSync(path.join(defaultWebRoot, 'index.html'))) {
      throw new Error(`The web app is not built (${defaultWebRoot} has no index.html): run npm run build:web`);
    }
    test = await createTestDatabase();
    const owner = await createTestUser(test.db, 'two-factor-owner');
    await createInvestigation(test.db, owner, { title: 'Southern depots' });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-2fa-web-'));
    app = await buildApp({
      db: test.db,
      config: loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' }),
      logger: false,
    });
    baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await test?.close();
    if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('enrols on the settings page, then signs in with the password and a code', async () => {
    const first = await browser!.newContext({ locale: 'en-GB' });
    const page = await first.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(baseUrl);
    await page.getByLabel('Username').fill('two-factor-owner');
    await page.getByLabel('Password').fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your investigations' }).waitFor();

    await page.goto(`${baseUrl}/settings`);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.locator('#two-factor-title ~ form code').textContent()) ?? '';
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.getByLabel('Code from the authenticator app').fill(await codeAt(secret, -1));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    const codes = (await page.locator('#two-factor-title ~ .notice pre').textContent()) ?? '';
    assert.equal(codes.split('\n').length, 10);
    await page.getByText('Recovery codes left: 10.').waitFor();
    await first.close();

    const second = await browser!.newContext({ locale: 'en-GB' });
    const again = await second.newPage();
    again.setDefaultTimeout(20_000);
    await again.goto(baseUrl);
    await again.getByLabel('Username').fill('two-factor-owner');
    await again.getByLabel('Password').fill(testPassword);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByLabel('Code', { exact: true }).fill('000000');
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByText('The code is wrong, expired or already used.', { exact: false }).first().waitFor();
    await again.getByLabel('Code', { exact: true }).fill(await codeAt(secret, 0));
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByRole('heading', { name: 'Your investigations' }).waitFor();
    await second.close();
  });
});
