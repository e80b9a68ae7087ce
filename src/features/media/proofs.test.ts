// Proofs that come with photos: fixtures made here at test time (a JPEG signed with C2PA by a throwaway ES256 chain,
// ProofMode zips signed with a throwaway OpenPGP key), read on ingest through the upload route, kept in the store,
// recorded in media_proofs, shown in the API, and kept in the JSON export and the BagIt bag.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { exportBag } from '../bags/service.js';
import { exportInvestigation } from '../export/service.js';
import {
  addAuditedMarking,
  createMediaTestApp,
  makePhoto,
  uploadMedia,
  type MediaTestApp,
} from '../../testing/media.js';
import {
  makeC2paSigner,
  makePgpKey,
  makeProofModeBundle,
  signJpegWithC2pa,
  tamperC2paSignature,
  type PgpKey,
} from '../../testing/proofs.js';
import type { MediaWithLinks } from './schema.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('proofs that come with photos (C2PA, ProofMode)', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let cookie: string;
  let itemId: string;
  let key: PgpKey;

  const upload = (bytes: Buffer, filename: string, contentType: string, fields: Record<string, string> = {}) =>
    uploadMedia(media.app, cookie, world.investigationId, { bytes, filename, contentType }, fields);

  async function show(id: string): Promise<MediaWithLinks> {
    const response = await media.app.inject({ method: 'GET', url: `/api/v1/media/${id}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<MediaWithLinks>();
  }

  async function original(id: string): Promise<Buffer> {
    const response = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${id}/original`,
      headers: { cookie },
    });
    assert.equal(response.statusCode, 200);
    return response.rawPayload;
  }

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    cookie = await world.cookieFor('owner');
    itemId = (await addAuditedMarking(world, world.owner, world.investigationId)).itemId;
    key = await makePgpKey();
  });
  after(async () => {
    await media.close();
    await world.close();
  });

  it('reads a C2PA-signed JPEG on upload: claims present, signature verified, manifest kept beside the untouched original', async () => {
    const signer = await makeC2paSigner('Field camera 7');
    const signed = await signJpegWithC2pa(await makePhoto(21, { width: 160, height: 120 }), signer);
    const created = await upload(signed, 'signed.jpg', 'image/jpeg', { item_id: itemId });
    assert.equal(created.media_type, 'image/jpeg');
    assert.equal(created.sha256, sha256(signed));
    assert.deepEqual(await original(created.id), signed);
    assert.equal(created.proofs.length, 1);
    const [proof] = created.proofs;
    assert.equal(proof!.kind, 'c2pa');
    assert.equal(proof!.claims_present, true);
    assert.equal(proof!.signature_state, 'verified');
    assert.match(proof!.signature_reason, /not checked against a trust list/);
    assert.equal(proof!.generator, 'armtrace-test-camera/1.0');
    assert.match(proof!.signer ?? '', /CN=Field camera 7/);
    assert.deepEqual(proof!.claims.assertions, ['c2pa.actions.v2', 'c2pa.hash.data']);
    assert.deepEqual(
      (proof!.claims.actions as { action: string }[]).map((action) => action.action),
      ['c2pa.created'],
    );
    assert.equal(proof!.files.length, 1);
    const manifestFile = proof!.files[0]!;
    assert.equal(manifestFile.role, 'c2pa_manifest');
    // The manifest store's bytes are in the store under their own hash, and they are inside the original.
    const kept = fs.readFileSync(media.originalPath(manifestFile.sha256));
    assert.equal(sha256(kept), manifestFile.sha256);
    assert.equal(kept.length, manifestFile.size_bytes);
    assert.deepEqual((await show(created.id)).proofs, created.proofs);
  });

  it('keeps a photo whose C2PA signature was tampered with, marked invalid with the reason', async () => {
    const signed = await signJpegWithC2pa(await makePhoto(22, { width: 160, height: 120 }), await makeC2paSigner());
    const tampered = tamperC2paSignature(signed);
    const created = await upload(tampered, 'tampered.jpg', 'image/jpeg');
    assert.deepEqual(await original(created.id), tampered);
    assert.equal(created.proofs.length, 1);
    assert.equal(created.proofs[0]!.claims_present, true);
    assert.equal(created.proofs[0]!.signature_state, 'invalid');
    assert.match(created.proofs[0]!.signature_reason, /claimSignature\.mismatch/);
  });

  it('records no proof for a photo without one', async () => {
    const created = await upload(await makePhoto(23, { width: 64, height: 48 }), 'plain.jpg', 'image/jpeg');
    assert.deepEqual(created.proofs, []);
    assert.deepEqual((await show(created.id)).proofs, []);
  });

  it('ingests a ProofMode zip: the photo becomes evidence linked to its verified proof, the proof files and the bundle kept', async () => {
    const photo = await makePhoto(24, { width: 160, height: 120 });
    const hash = sha256(photo);
    const zip = await makeProofModeBundle(photo, 'PXL_20261120_091403.jpg', hash, key);
    const created = await upload(zip, 'proofmode-PXL_20261120_091403.zip', 'application/zip', { item_id: itemId });
    assert.equal(created.media_type, 'image/jpeg');
    assert.equal(created.sha256, hash);
    assert.equal(created.original_filename, 'PXL_20261120_091403.jpg');
    assert.deepEqual(created.bundle_media_ids, [created.id]);
    assert.equal(created.links[0]?.item_id, itemId);
    assert.deepEqual(await original(created.id), photo);
    const proof = created.proofs.find((entry) => entry.kind === 'proofmode')!;
    assert.equal(proof.claims_present, true);
    assert.equal(proof.signature_state, 'verified', proof.signature_reason);
    assert.equal(proof.generator, 'ProofMode');
    assert.match(proof.signer ?? '', new RegExp(key.fingerprint));
    assert.equal(proof.claims.proof_sha256_matches, true);
    assert.equal((proof.claims.proof as Record<string, unknown>)['Location.Latitude'], '36.3412');
    assert.deepEqual(
      (proof.claims.signatures as { state: string }[]).map((signature) => signature.state),
      ['verified', 'verified', 'verified'],
    );
    assert.deepEqual(proof.files.map((file) => file.role).sort(), [
      'bundle',
      'media_signature',
      'proof_csv',
      'proof_json',
      'proof_signature',
      'proof_signature',
      'public_key',
    ]);
    for (const file of proof.files) {
      const kept = fs.readFileSync(media.originalPath(file.sha256));
      assert.equal(sha256(kept), file.sha256, file.name);
    }
    assert.equal(proof.files.find((file) => file.role === 'bundle')!.sha256, sha256(zip));
  });

  it('keeps the photo of a zip whose signature is wrong or whose photo changed after signing, marked invalid', async () => {
    const photo = await makePhoto(25, { width: 160, height: 120 });
    const stranger = await makePgpKey('Someone else');
    const wrongKey = await upload(
      await makeProofModeBundle(photo, 'IMG_2.jpg', sha256(photo), key, { signatureKey: stranger }),
      'wrong-key.zip',
      'application/zip',
    );
    assert.equal(wrongKey.sha256, sha256(photo));
    assert.equal(wrongKey.proofs[0]!.signature_state, 'invalid');
    assert.match(wrongKey.proofs[0]!.signature_reason, /not by the bundle's public key/);

    const changed = await upload(
      await makeProofModeBundle(photo, 'IMG_3.jpg', sha256(photo), key, { alterPhotoAfterSigning: true }),
      'changed.zip',
      'application/zip',
    );
    assert.equal(changed.size_bytes, photo.length + 1);
    assert.equal(changed.proofs[0]!.signature_state, 'invalid');
    assert.match(changed.proofs[0]!.signature_reason, /the proof gives SHA-256/);
    assert.match(changed.proofs[0]!.signature_reason, /bad signature/);
  });

  it('keeps proofs in the JSON export and the BagIt bag, and the audit chain verifies them', async () => {
    const document = await exportInvestigation(world.db, world.owner, world.investigationId);
    const proofs = document.records.media_proofs;
    assert.equal(proofs.length, 5);
    assert.deepEqual(proofs.map((proof) => proof.signature_state).sort(), [
      'invalid',
      'invalid',
      'invalid',
      'verified',
      'verified',
    ]);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-proof-bag-')), 'bag');
    try {
      await exportBag(world.db, media.store, world.owner, world.investigationId, {}, out);
      const manifest = fs.readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
      const records = JSON.parse(fs.readFileSync(path.join(out, 'data', 'records.json'), 'utf8')) as {
        records: { media_proofs: unknown[] };
        proof_files: { path: string; sha256: string }[];
      };
      assert.equal(records.records.media_proofs.length, 5);
      const expected = new Set(
        proofs.flatMap((proof) => (proof.files as { sha256: string }[]).map((file) => file.sha256)),
      );
      assert.equal(records.proof_files.length, expected.size);
      for (const file of records.proof_files) {
        assert.ok(expected.has(file.sha256));
        assert.ok(manifest.includes(`${file.sha256}  ${file.path}\n`), `${file.path} is in manifest-sha256.txt`);
        assert.equal(sha256(fs.readFileSync(path.join(out, file.path))), file.sha256);
      }
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
    const report = await verifyAudit(world.db);
    assert.equal(report.ok, true, JSON.stringify(report.problems.slice(0, 3)));
  });

  it('verify re-reads every proof file and names one changed on disk', async () => {
    const clean = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.equal(clean.ok, true, JSON.stringify(clean.problems.slice(0, 3)));
    const proof = await world.db
      .selectFrom('media_proofs')
      .selectAll()
      .where('kind', '=', 'proofmode')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const keyFile = (proof.files as { role: string; sha256: string }[]).find((file) => file.role === 'public_key')!;
    const onDisk = media.originalPath(keyFile.sha256);
    fs.chmodSync(onDisk, 0o644);
    fs.appendFileSync(onDisk, '\n');
    const report = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    const problem = report.problems.find((entry) => entry.kind === 'file_changed');
    assert.ok(problem !== undefined, JSON.stringify(report.problems));
    assert.equal(problem.entity_type, 'media_proofs');
    assert.match(problem.message, /pubkey\.asc/);
  });

  it('refuses to change or delete a recorded proof (append-only)', async () => {
    await assert.rejects(world.db.updateTable('media_proofs').set({ signature_state: 'verified' }).execute());
    await assert.rejects(world.db.deleteFrom('media_proofs').execute());
  });
});
