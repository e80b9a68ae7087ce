// Prepared files on the Downloads screen (issue 16, item 3): the bag is prepared by the server as a job; the
// screen shows its progress as a progress bar, then a link to the file, which is a bag (tar with bagit.txt and
// manifests whose hashes hold); the job is listed again after a reload. A PDF that cannot be printed (no Chromium
// on the server) shows the problem in the user's language and "try again". en at 1280 px and ar at 360 px, from
// the keyboard; the server's queue is in-process on PGlite and pg-boss with DATABASE_URL.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { loadExampleInvestigation } from '../../src/features/demo/service.js';
import { addMember } from '../../src/features/investigations/service.js';
import { createTestUser } from '../../src/testing/test-database.js';
import ar from '../../src/i18n/ar.json' with { type: 'json' };
import en from '../../src/i18n/en.json' with { type: 'json' };
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const shots = '/tmp/shots-downloads';
let web: WebHarness;
let investigationId: string;

before(async () => {
  web = await startWebHarness({ jobs: true });
  fs.mkdirSync(shots, { recursive: true });
  const chief = await createTestUser(web.db, 'chief', true);
  investigationId = (await loadExampleInvestigation(web.db, chief)).id;
  for (const username of ['watcher-en', 'watcher-ar']) {
    await createTestUser(web.db, username);
    await addMember(web.db, chief, investigationId, { username, role: 'viewer' });
  }
});
after(() => web.close());

/** The files of a POSIX tar (ustar names: prefix + name), without the bag's top folder. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const text = (start: number, length: number) =>
      block
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = [text(345, 155), text(0, 100)].filter((part) => part !== '').join('/');
    const size = Number.parseInt(text(124, 12), 8);
    files.set(name.slice(name.indexOf('/') + 1), tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

async function openDownloads(page: Page, messages: typeof en): Promise<void> {
  await page.goto(`${web.baseUrl}/investigations/${investigationId}/downloads`);
  await page.getByRole('heading', { level: 1, name: messages['transfer.downloads.title'] }).waitFor();
  await page.getByRole('heading', { level: 2, name: messages['transfer.jobs.title'] }).waitFor();
}

/** Presses a button from the keyboard: focus, then Enter. */
async function press(page: Page, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  await button.focus();
  await page.keyboard.press('Enter');
}

describe('prepared files on the downloads screen', () => {
  for (const [locale, width, messages] of [
    ['en', 1280, en],
    ['ar', 360, ar],
  ] as const) {
    it(`prepares the bag as a job, follows its progress and downloads it (${locale}, ${width} px)`, async () => {
      const page = await web.newPage({ locale, width });
      await web.signIn(page, `watcher-${locale}`);
      await openDownloads(page, messages);
      await page
        .getByText(
          messages['transfer.jobs.count']
            .match(/=0 \{([^}]*)\}|zero \{([^}]*)\}/)!
            .slice(1)
            .find(Boolean)!,
        )
        .waitFor();
      await expectNoSeriousAxeViolations(page, `downloads, no prepared files, ${locale}, ${width} px`);

      const bag = messages['transfer.downloads.bag'];
      await press(page, messages['transfer.jobs.prepare'].replace('{what}', bag));
      await page.getByRole('link', { name: messages['transfer.jobs.started'] }).waitFor();
      const title = messages['transfer.jobs.bagTitle'].replace('{profile}', messages['transfer.jobs.profile.internal']);
      const bar = page.getByRole('progressbar', {
        name: messages['transfer.jobs.progressLabel'].replace('{what}', title),
      });
      await bar.waitFor();
      const values = new Set<string>();
      // Followed by the screen (GET /jobs/{id}, backing off) until done; its value is a whole per cent throughout.
      for (;;) {
        const value = await bar.getAttribute('aria-valuenow');
        if (value !== null) {
          assert.match(value, /^\d{1,3}$/);
          values.add(value);
        }
        if (value === '100') break;
        await page.waitForTimeout(100);
      }
      assert.equal(await bar.getAttribute('aria-valuemin'), '0');
      assert.equal(await bar.getAttribute('aria-valuemax'), '100');
      const entry = page.locator('li.job-entry').first();
      await entry.getByText(messages['transfer.jobs.state.succeeded'], { exact: true }).waitFor();
      const link = entry.locator('a[download]');
      const linkText = (await link.textContent()) ?? '';
      assert.match(linkText, /investigation-[0-9a-f-]+-bag\.tar/);
      await expectNoSeriousAxeViolations(page, `downloads, bag ready, ${locale}, ${width} px`);

      // The link: focus and Enter, as with a mouse.
      await link.focus();
      const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const tar = fs.readFileSync(await file.path());
      assert.match(file.suggestedFilename(), /^investigation-[0-9a-f-]+-bag\.tar$/);
      const files = untar(tar);
      assert.match(files.get('bagit.txt')?.toString('utf8') ?? '', /^BagIt-Version: 1\.0/);
      const manifest = files.get('manifest-sha256.txt')!.toString('utf8').trim().split('\n');
      assert.ok(manifest.length > 1);
      for (const line of manifest) {
        const [hash, name] = line.split(/\s+/);
        assert.equal(createHash('sha256').update(files.get(name!)!).digest('hex'), hash, name);
      }
      // The size shown is the file's.
      const kilobytes = Math.ceil(tar.length / 1024);
      const digits = linkText.replace(/[٠-٩]/g, (digit) => String(digit.charCodeAt(0) - 0x0660)).replace(/[^\d]/g, ' ');
      assert.ok(digits.split(/\s+/).includes(String(kilobytes)), `${linkText} names ${kilobytes} KB`);
      if (locale === 'ar') {
        assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
        const scrollWidth = await page.evaluate(
          () =>
            (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
              .documentElement.scrollWidth,
        );
        assert.ok(scrollWidth <= width, `no sideways scrolling at ${width} px (${scrollWidth})`);
      }
      await page.locator('#prepared-files').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${shots}/downloads-bag-ready-${locale}-${width}.png`, fullPage: true });

      // Left and come back (a reload): the job is listed again, ready, with its link.
      await page.reload();
      await openDownloads(page, messages);
      const again = page.locator('li.job-entry').first();
      await again.locator('a[download]').waitFor();
      assert.equal(await again.locator('a[download]').textContent(), linkText);

      // A PDF the server cannot print (no Chromium there): the problem in the user's language, and "try again".
      const saved = process.env.CHROMIUM_PATH;
      process.env.CHROMIUM_PATH = '/nonexistent/chromium';
      try {
        await press(page, messages['transfer.jobs.prepare'].replace('{what}', messages['transfer.downloads.pdf']));
        const pdfTitle = messages['transfer.jobs.pdfTitle'].replace(
          '{language}',
          locale === 'ar' ? 'العربية' : 'English',
        );
        const failed = page.locator('li.job-entry', { has: page.getByRole('heading', { name: pdfTitle }) });
        await failed.getByText(messages['transfer.downloads.pdfUnavailable']).waitFor();
        await failed.getByText(messages['transfer.jobs.state.failed'], { exact: true }).waitFor();
        const retry = messages['transfer.jobs.retry'].replace('{what}', pdfTitle);
        await expectNoSeriousAxeViolations(page, `downloads, PDF failed, ${locale}, ${width} px`);
        await failed.first().scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/downloads-pdf-failed-${locale}-${width}.png`, fullPage: true });
        await press(page, retry);
        // Tried again: a new job, which fails the same way (Chromium is still missing).
        const failures = page
          .locator('li.job-entry')
          .filter({ hasText: messages['transfer.downloads.pdfUnavailable'] });
        while ((await failures.count()) < 2) await page.waitForTimeout(100);
      } finally {
        if (saved === undefined) delete process.env.CHROMIUM_PATH;
        else process.env.CHROMIUM_PATH = saved;
      }
      assert.deepEqual(web.pageErrors, []);
      await page.context().close();
    });
  }
});
