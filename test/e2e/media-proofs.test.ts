// Database-independent: the proof readings come from the files (C2PA, ProofMode), not the database, and the badges
// are the web app's; storing and serving them is checked on both databases by src/features/media/proofs*.test.ts.
/**
 * Proofs that come with photos (issue 13, item 6) in the browser: an item's photos show, per proof, a "claims
 * present" badge apart from the signature's state (a C2PA-signed JPEG verified, a ProofMode zip with a wrong
 * signature invalid), with the details opened from the keyboard. In English at 1280 px and in Arabic at 360 px;
 * the server's records checked; axe-core in en and ar at 1280 and 360 px.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../src/features/access/schema.js';
import { createInvestigation } from '../../src/features/investigations/service.js';
import { createItem } from '../../src/features/items/service.js';
import { addMediaFromStream } from '../../src/features/media/service.js';
import { makeDerivativesHere } from '../../src/features/media/derivative-jobs.js';
import { createEvidenceStore } from '../../src/storage/create.js';
import { createSite } from '../../src/features/sites/service.js';
import { makePhoto } from '../../src/testing/media.js';
import { makeC2paSigner, makePgpKey, makeProofModeBundle, signJpegWithC2pa } from '../../src/testing/proofs.js';
import { createTestUser } from '../../src/testing/test-database.js';
import { expectNoSeriousAxeViolations, startWebHarness, type WebHarness } from './harness.js';

const catalogue = (locale: string) =>
  JSON.parse(fs.readFileSync(new URL(`../../src/i18n/${locale}.json`, import.meta.url), 'utf8')) as Record<
    string,
    string
  >;
const screenshots = '/tmp/proofs';

describe('proofs that came with photos, on the item page', () => {
  let web: WebHarness;
  let owner: Actor;
  let investigationId: string;
  let itemId: string;

  before(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    web = await startWebHarness();
    owner = await createTestUser(web.db, 'proof-owner');
    investigationId = (await createInvestigation(web.db, owner, { title: 'Photos with proofs' })).id;
    const siteId = (await createSite(web.db, owner, investigationId, { site_type: 'cache', name: 'Cellar' })).id;
    itemId = (await createItem(web.db, owner, investigationId, { site_id: siteId, category: 'fuze', quantity: 1 })).id;
    const store = createEvidenceStore(web.config);
    const add = (bytes: Buffer, filename: string) =>
      addMediaFromStream(
        web.db,
        store,
        web.config.media,
        owner,
        investigationId,
        Readable.from([bytes]),
        { filename },
        { item_id: itemId },
        makeDerivativesHere(web.db, store, web.config.media),
      );
    await add(
      await signJpegWithC2pa(await makePhoto(31, { width: 320, height: 240 }), await makeC2paSigner()),
      'c2pa.jpg',
    );
    const photo = await makePhoto(32, { width: 320, height: 240 });
    const key = await makePgpKey();
    const stranger = await makePgpKey('Someone else');
    const sha256 = createHash('sha256').update(photo).digest('hex');
    await add(await makeProofModeBundle(photo, 'PXL_1.jpg', sha256, key, { signatureKey: stranger }), 'bundle.zip');
  });
  after(() => web.close());

  for (const { locale, width } of [
    { locale: 'en', width: 1280 },
    { locale: 'ar', width: 360 },
  ] as const) {
    it(`shows claims present apart from the signature state (${locale}, ${width} px)`, async () => {
      const messages = catalogue(locale);
      const page = await web.newPage({ locale, width });
      await web.signIn(page, 'proof-owner');
      await page.goto(`${web.baseUrl}/investigations/${investigationId}/items/${itemId}`);
      const proofs = page.getByTestId('media-proof');
      await proofs.first().waitFor();
      assert.equal(await proofs.count(), 2);
      const verified = page.locator('[data-testid="media-proof"][data-signature="verified"]');
      const invalid = page.locator('[data-testid="media-proof"][data-signature="invalid"]');
      assert.equal(await verified.locator('.badge-claims').textContent(), messages['proofs.c2paPresent']);
      assert.equal(
        await verified.locator('.badge-signature-verified').textContent(),
        messages['proofs.signatureVerified'],
      );
      assert.equal(await invalid.locator('.badge-claims').textContent(), messages['proofs.proofModePresent']);
      assert.equal(
        await invalid.locator('.badge-signature-invalid').textContent(),
        messages['proofs.signatureInvalid'],
      );

      // Keyboard first: the summary takes the focus and opens the details with Enter.
      const summary = invalid.locator('summary');
      await summary.focus();
      await page.keyboard.press('Enter');
      await invalid.locator('details[open]').waitFor();
      assert.match((await invalid.locator('dl').textContent()) ?? '', /not by the bundle's public key/);
      await verified.locator('summary').focus();
      await page.keyboard.press('Enter');
      assert.match((await verified.locator('dl').textContent()) ?? '', /CN=armtrace test signer/);
      await page.screenshot({ path: `${screenshots}/item-proofs-${locale}-${width}.png`, fullPage: true });

      await expectNoSeriousAxeViolations(page, `item proofs, ${locale}, ${width} px`);
      const other = await web.newPage({ locale, width: width === 360 ? 1280 : 360 });
      await web.signIn(other, 'proof-owner');
      await other.goto(`${web.baseUrl}/investigations/${investigationId}/items/${itemId}`);
      await other.getByTestId('media-proof').first().waitFor();
      await other.locator('[data-testid="media-proof"] summary').first().click();
      await expectNoSeriousAxeViolations(other, `item proofs, ${locale}, ${width === 360 ? 1280 : 360} px`);

      // What the page shows is what the server recorded.
      const rows = await web.db
        .selectFrom('media_proofs')
        .select(['kind', 'signature_state'])
        .where('investigation_id', '=', investigationId)
        .orderBy('kind')
        .execute();
      assert.deepEqual(rows, [
        { kind: 'c2pa', signature_state: 'verified' },
        { kind: 'proofmode', signature_state: 'invalid' },
      ]);
      assert.deepEqual(web.pageErrors, []);
    });
  }
});
