import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../errors.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import {
  addAuditedMarking,
  createMediaTestApp,
  makePhoto,
  multipartBody,
  type MediaTestApp,
} from '../../testing/media.js';
import {
  BAG_SIGNATURE_FILE,
  BAG_SIGNER_FILE,
  checkBagSignature,
  SIGNED_TAG_MANIFEST,
} from '../signing/bag-signature.js';
import { instanceSigner } from '../signing/instance-key.js';
import { signerStanding, trustKey } from '../signing/service.js';
import { verifyBag } from './bagit.js';
import { importBag, type BagImportResult } from './import.js';
import { exportBag } from './service.js';
import { updateSite } from '../sites/service.js';
import { checkSignedBag } from './verify.js';
import { makeDerivativesHere } from '../media/derivative-jobs.js';

/** Counts of the rows an import may create, in one investigation. */
async function countRecords(world: TestWorld, investigationId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [
    'sites',
    'zones',
    'items',
    'markings',
    'custody_events',
    'media',
    'media_links',
    'sources',
    'bag_imports',
    'bag_import_records',
  ] as const) {
    const row = await world.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('investigation_id', '=', investigationId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

function copyFolder(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  // Bag files are written read-only by nobody, but make sure a test can change them.
  for (const entry of fs.readdirSync(to, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.chmodSync(path.join(entry.parentPath, entry.name), 0o644);
  }
}

describe('signed bags: signature, verify-bag and import into another instance', () => {
  let partner: TestWorld;
  let partnerApp: MediaTestApp;
  let home: TestWorld;
  let homeApp: MediaTestApp;
  const derivativesHere = () => makeDerivativesHere(home.db, homeApp.store, homeApp.config.media);
  let workDir: string;
  let bag: string;
  let partnerRecords: { siteId: string; itemId: string; markingId: string };

  before(async () => {
    // Two instances: each its own database and data folder, so its own key.
    partner = await createTestWorld();
    partnerApp = await createMediaTestApp(partner, { ARMTRACE_INSTANCE_NAME: 'Partner field office' });
    home = await createTestWorld();
    homeApp = await createMediaTestApp(home, { ARMTRACE_INSTANCE_NAME: 'Home office' });
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-signed-bags-'));

    partnerRecords = await addAuditedMarking(partner, partner.owner, partner.investigationId);
    // The partner cleared its site for publication; the home investigation's default (internal) is higher.
    await updateSite(partner.db, partner.owner, partnerRecords.siteId, {
      version: 1,
      sensitivity: 'public',
      sensitivity_reason: 'Cleared by the partner',
    });
    const body = multipartBody(
      { item_id: partnerRecords.itemId, credit: 'Partner team 1' },
      { filename: 'IMG_7.JPG', contentType: 'image/jpeg', bytes: await makePhoto(71, { width: 320, height: 240 }) },
    );
    const uploaded = await partnerApp.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${partner.investigationId}/media`,
      headers: { ...body.headers, cookie: await partner.cookieFor('owner') },
      payload: body.payload,
    });
    assert.equal(uploaded.statusCode, 201, uploaded.body);
    bag = path.join(workDir, 'partner.bag');
    await exportBag(
      partner.db,
      partnerApp.store,
      partner.owner,
      partner.investigationId,
      {},
      bag,
      instanceSigner(partnerApp.config),
    );
  });
  after(async () => {
    await partnerApp.close();
    await partner.close();
    await homeApp.close();
    await home.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('a signed bag verifies and names its signer; one byte changed in its tag manifest fails, naming it', async () => {
    const partnerKey = instanceSigner(partnerApp.config);
    assert.ok(fs.existsSync(path.join(bag, BAG_SIGNATURE_FILE)));
    assert.ok(fs.existsSync(path.join(bag, BAG_SIGNER_FILE)));
    assert.match(
      fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8'),
      new RegExp(`^Armtrace-Signer-Fingerprint: ${partnerKey.fingerprint}$`, 'm'),
    );
    const good = await checkBagSignature(bag);
    assert.equal(good.status, 'valid', good.message);
    assert.equal(good.fingerprint, partnerKey.fingerprint);
    assert.equal(good.name, 'Partner field office');

    // On the partner's own instance: its own key. On the home instance: unknown until trusted.
    const own = await checkSignedBag(bag, await verifyBag(bag), (fp) => signerStanding(partner.db, partnerKey, fp), {
      requireSignature: true,
    });
    assert.equal(own.ok, true, JSON.stringify(own.problems));
    assert.equal(own.signature.trust, 'own');
    const homeKey = instanceSigner(homeApp.config);
    const stranger = await checkSignedBag(bag, await verifyBag(bag), (fp) => signerStanding(home.db, homeKey, fp), {
      requireSignature: false,
    });
    assert.equal(stranger.ok, true);
    assert.equal(stranger.signature.trust, 'unknown');
    assert.match(stranger.notes.join('\n'), /neither this instance's nor in the trusted list/);
    const strict = await checkSignedBag(bag, await verifyBag(bag), (fp) => signerStanding(home.db, homeKey, fp), {
      requireSignature: true,
    });
    assert.equal(strict.ok, false);

    // One byte: the second space between a checksum and its path becomes a tab. Every checksum still matches
    // (BagIt allows either separator), so only the signature can tell.
    const altered = path.join(workDir, 'altered.bag');
    copyFolder(bag, altered);
    const manifestFile = path.join(altered, SIGNED_TAG_MANIFEST);
    const bytes = fs.readFileSync(manifestFile);
    const at = bytes.indexOf('  ') + 1;
    bytes[at] = 0x09;
    fs.writeFileSync(manifestFile, bytes);
    assert.equal((await verifyBag(altered)).ok, true);
    const bad = await checkSignedBag(
      altered,
      await verifyBag(altered),
      (fp) => signerStanding(partner.db, partnerKey, fp),
      {
        requireSignature: false,
      },
    );
    assert.equal(bad.ok, false);
    assert.equal(bad.signature.status, 'invalid');
    assert.deepEqual(
      bad.problems.map((problem) => ({ kind: problem.kind, path: problem.path })),
      [{ kind: 'signature', path: SIGNED_TAG_MANIFEST }],
    );
    assert.match(
      bad.problems[0]!.message,
      /^tagmanifest-sha256\.txt does not match the signature in tagmanifest-sha256\.txt\.sig by Partner field office/,
    );

    // A byte of a checksum changed: the manifest check and the signature check both name the tag manifest.
    const rehashed = path.join(workDir, 'rehashed.bag');
    copyFolder(bag, rehashed);
    const text = fs.readFileSync(path.join(rehashed, SIGNED_TAG_MANIFEST), 'utf8');
    fs.writeFileSync(path.join(rehashed, SIGNED_TAG_MANIFEST), `${text[0] === '0' ? '1' : '0'}${text.slice(1)}`);
    const both = await checkSignedBag(
      rehashed,
      await verifyBag(rehashed),
      (fp) => signerStanding(partner.db, partnerKey, fp),
      {
        requireSignature: false,
      },
    );
    assert.equal(both.ok, false);
    assert.ok(
      both.problems.some((problem) => problem.kind === 'altered' && problem.message.includes(SIGNED_TAG_MANIFEST)),
    );
    assert.ok(both.problems.some((problem) => problem.kind === 'signature' && problem.path === SIGNED_TAG_MANIFEST));

    // No signature files: unsigned, which is no problem unless a signature is required.
    const unsigned = path.join(workDir, 'unsigned.bag');
    copyFolder(bag, unsigned);
    fs.rmSync(path.join(unsigned, BAG_SIGNATURE_FILE));
    fs.rmSync(path.join(unsigned, BAG_SIGNER_FILE));
    const plain = await checkSignedBag(
      unsigned,
      await verifyBag(unsigned),
      () => Promise.reject(new Error('not asked')),
      {
        requireSignature: false,
      },
    );
    assert.equal(plain.ok, true);
    assert.equal(plain.signature.status, 'unsigned');
    const required = await checkSignedBag(
      unsigned,
      await verifyBag(unsigned),
      () => Promise.reject(new Error('not asked')),
      {
        requireSignature: true,
      },
    );
    assert.equal(required.ok, false);
  });

  it('a partner bag is refused until its key is trusted, then imported once: twice creates nothing twice', async () => {
    const homeKey = instanceSigner(homeApp.config);
    const before = await countRecords(home, home.investigationId);
    await assert.rejects(
      importBag(home.db, homeApp.store, home.owner, home.investigationId, bag, homeKey, derivativesHere()),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'signature_invalid' && /does not trust/.test(error.message),
    );
    assert.deepEqual(await countRecords(home, home.investigationId), before);

    const partnerKey = instanceSigner(partnerApp.config);
    await trustKey(home.db, home.admin, { public_key_pem: partnerKey.public_key_pem, name: 'Partner NGO' });
    const first = await importBag(
      home.db,
      homeApp.store,
      home.owner,
      home.investigationId,
      bag,
      homeKey,
      derivativesHere(),
    );
    assert.equal(first.already_imported, false);
    assert.deepEqual(first.signer, {
      fingerprint: partnerKey.fingerprint,
      name: 'Partner field office',
      trust: 'trusted',
      known_as: 'Partner NGO',
    });
    assert.deepEqual(
      {
        sites: first.created.sites,
        items: first.created.items,
        markings: first.created.markings,
        media: first.created.media,
        media_links: first.created.media_links,
      },
      { sites: 1, items: 1, markings: 1, media: 1, media_links: 1 },
    );
    const afterFirst = await countRecords(home, home.investigationId);
    assert.equal(afterFirst.items, before.items! + 1);
    // A partner's level is kept but never lowered below this investigation's default (src/features/bags/bag-records.ts).
    const importedLevels = await home.db
      .selectFrom('sites')
      .select(['sensitivity', 'sensitivity_reason'])
      .where('investigation_id', '=', home.investigationId)
      .where(
        'name',
        'in',
        (await partner.db.selectFrom('sites').select('name').execute()).map((row) => row.name),
      )
      .execute();
    assert.deepEqual(importedLevels, [{ sensitivity: 'internal', sensitivity_reason: null }]);
    assert.equal(afterFirst.bag_imports, 1);
    assert.equal(afterFirst.bag_import_records, 5);

    // The records keep their origin: the source names the bag, its signer and date; each keeps its id in the bag.
    const source = await home.db
      .selectFrom('sources')
      .selectAll()
      .where('id', '=', first.source_id)
      .executeTakeFirstOrThrow();
    assert.match(source.notes, new RegExp(first.bag_sha256));
    assert.match(source.notes, new RegExp(partnerKey.fingerprint));
    assert.equal(source.publisher, 'Partner field office');
    const media = await home.db
      .selectFrom('media')
      .selectAll()
      .where('investigation_id', '=', home.investigationId)
      .execute();
    assert.deepEqual(
      media.map((row) => row.source_id),
      [first.source_id],
    );
    assert.ok(await homeApp.store.has(media[0]!.sha256));
    const origin = await home.db
      .selectFrom('bag_import_records')
      .selectAll()
      .where('record_type', '=', 'items')
      .executeTakeFirstOrThrow();
    assert.equal(origin.original_id, partnerRecords.itemId);
    const importedItem = await home.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', origin.record_id)
      .executeTakeFirstOrThrow();
    const partnerItem = await partner.db
      .selectFrom('items')
      .selectAll()
      .where('id', '=', partnerRecords.itemId)
      .executeTakeFirstOrThrow();
    assert.equal(importedItem.category, partnerItem.category);
    assert.equal(importedItem.external_ref, partnerItem.external_ref);
    // Imported records start their review here as drafts, whatever their state was at the partner's.
    for (const table of ['sites', 'items', 'markings', 'media'] as const) {
      const states = await home.db
        .selectFrom(table)
        .select('review_state')
        .distinct()
        .where('investigation_id', '=', home.investigationId)
        .where('id', 'in', (query) =>
          query.selectFrom('bag_import_records').select('record_id').where('record_type', '=', table),
        )
        .execute();
      assert.deepEqual(
        states.map((row) => row.review_state),
        [first.created[table]! > 0 ? 'draft' : undefined].filter((state) => state !== undefined),
        table,
      );
    }

    const second = await importBag(
      home.db,
      homeApp.store,
      home.owner,
      home.investigationId,
      bag,
      homeKey,
      derivativesHere(),
    );
    assert.equal(second.already_imported, true);
    assert.equal(second.bag_import_id, first.bag_import_id);
    assert.deepEqual(await countRecords(home, home.investigationId), afterFirst);

    // The same bag through the API, as the tar archive the partner's server sends: still nothing twice.
    const tar = await partnerApp.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${partner.investigationId}/bag.tar`,
      headers: { cookie: await partner.cookieFor('owner') },
    });
    assert.equal(tar.statusCode, 200);
    const viaApi = async (investigationId: string) =>
      homeApp.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${investigationId}/bag-imports`,
        headers: { cookie: await home.cookieFor('owner'), 'content-type': 'application/x-tar' },
        payload: tar.rawPayload,
      });
    // A new export is a new bag (its own date and signature time): imported once, then never again.
    const created = await viaApi(home.investigationId);
    assert.equal(created.statusCode, 201, created.body);
    const repeated = await viaApi(home.investigationId);
    assert.equal(repeated.statusCode, 200, repeated.body);
    const body = repeated.json<BagImportResult>();
    assert.equal(body.already_imported, true);
    assert.equal(body.bag_import_id, created.json<BagImportResult>().bag_import_id);
    const afterApi = await countRecords(home, home.investigationId);
    assert.equal(afterApi.bag_imports, 2);
    assert.equal(afterApi.items, afterFirst.items + 1);

    // Someone else's investigation: the role is checked before anything is read.
    const outsider = await viaApi(home.otherInvestigationId);
    assert.equal(outsider.statusCode, 404, outsider.body);

    const verified = await verifyAudit(home.db, undefined, { ownFingerprint: homeKey.fingerprint });
    assert.deepEqual(verified.problems, []);
  });

  it('a bag whose payload or signature fails is refused whole: nothing is created', async () => {
    const homeKey = instanceSigner(homeApp.config);
    const before = await countRecords(home, home.otherInvestigationId);
    const broken = path.join(workDir, 'broken.bag');
    copyFolder(bag, broken);
    const records = path.join(broken, 'data', 'records.json');
    // One byte more in the records: the payload manifest no longer matches.
    fs.appendFileSync(records, ' ');
    await assert.rejects(
      importBag(home.db, homeApp.store, home.outsider, home.otherInvestigationId, broken, homeKey, derivativesHere()),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'validation_failed' && /not an intact bag/.test(error.message),
    );
    const forged = path.join(workDir, 'forged.bag');
    copyFolder(bag, forged);
    const manifestFile = path.join(forged, SIGNED_TAG_MANIFEST);
    const bytes = fs.readFileSync(manifestFile);
    bytes[bytes.indexOf('  ') + 1] = 0x09;
    fs.writeFileSync(manifestFile, bytes);
    await assert.rejects(
      importBag(home.db, homeApp.store, home.outsider, home.otherInvestigationId, forged, homeKey, derivativesHere()),
      (error: unknown) =>
        error instanceof DomainError &&
        error.code === 'signature_invalid' &&
        error.message.startsWith(`${SIGNED_TAG_MANIFEST} does not match`),
    );
    assert.deepEqual(await countRecords(home, home.otherInvestigationId), before);
  });
});
