// The photos of an ODK / Kobo export keep the C2PA manifest they carry: read on import, kept in the store and
// recorded with the photo (fixtures made here at test time).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import { createMediaTestApp, makePhoto, type MediaTestApp } from '../../testing/media.js';
import { makeC2paSigner, signJpegWithC2pa } from '../../testing/proofs.js';
import { createSite } from '../sites/service.js';
import { formIdFor } from './schema.js';
import { importFormExport } from './service.js';
import { csvOf, odkCentralMainCsv, zipOf } from '../../testing/forms-fixtures.js';
import { makeDerivativesHere } from '../media/derivative-jobs.js';

describe('proofs of imported form photos', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let workDir: string;

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-forms-proofs-'));
  });
  after(async () => {
    await media.close();
    await world.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('reads the C2PA manifest of a photo in an ODK Central zip', async () => {
    const site = await createSite(world.db, world.owner, world.investigationId, { site_type: 'cache', name: 'Cellar' });
    const formId = formIdFor(world.investigationId);
    const instanceId = 'uuid:0b1c2d3e-0000-4000-8000-00000000c2pa';
    const signed = await signJpegWithC2pa(await makePhoto(51, { width: 96, height: 64 }), await makeC2paSigner());
    const file = path.join(workDir, 'odk.zip');
    fs.writeFileSync(
      file,
      zipOf([
        {
          name: `${formId}.csv`,
          bytes: Buffer.from(
            odkCentralMainCsv([
              {
                instanceId,
                submitter: 'team-north',
                version: '1',
                answers: { site: site.id, category: 'small_arm', quantity: '1', disposal_status: 'in_place' },
              },
            ]),
          ),
        },
        {
          name: `${formId}-photos.csv`,
          bytes: Buffer.from(
            csvOf([
              ['photo', 'PARENT_KEY', 'KEY'],
              ['1763625141000.jpg', instanceId, `${instanceId}/photos[1]`],
            ]),
          ),
        },
        { name: 'media/1763625141000.jpg', bytes: signed },
      ]),
    );
    const result = await importFormExport(
      world.db,
      {
        store: media.store,
        media: media.config.media,
        derivatives: makeDerivativesHere(world.db, media.store, media.config.media),
      },
      world.owner,
      world.investigationId,
      file,
    );
    const [photo] = result.created[0]!.media;
    const proofs = await world.db.selectFrom('media_proofs').selectAll().where('media_id', '=', photo!.id).execute();
    assert.deepEqual(
      proofs.map((proof) => [proof.kind, proof.signature_state]),
      [['c2pa', 'verified']],
    );
    const [manifest] = proofs[0]!.files as { role: string; sha256: string }[];
    assert.equal(manifest!.role, 'c2pa_manifest');
    assert.equal((await media.store.rehash(manifest!.sha256))?.sha256, manifest!.sha256);
    assert.equal((await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck })).ok, true);
  });
});
