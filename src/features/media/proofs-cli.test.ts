// `armtrace media add` reads the proofs a photo comes with (a C2PA-signed JPEG, a ProofMode zip made here at test
// time) and `armtrace media show` prints "claims present" and the signature's state apart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { makePhoto } from '../../testing/media.js';
import { makeC2paSigner, makePgpKey, makeProofModeBundle, signJpegWithC2pa } from '../../testing/proofs.js';
import type { UploadedMedia } from './schema.js';

describe('media add and media show with proofs (CLI)', () => {
  let cli: CliSandbox;
  const armtrace = async (...args: string[]) => succeeded(await cli.run(...args));

  before(async () => {
    cli = await createCliSandbox('armtrace-proofs-cli-');
  });
  after(() => cli.close());

  it('adds a C2PA-signed JPEG and a ProofMode zip, and shows their proofs', async () => {
    const dataDir = cli.root;
    await armtrace('init');
    const investigation = JSON.parse(await armtrace('investigation', 'add', '--title', 'Proofs', '--json')) as {
      id: string;
    };
    const signedPath = path.join(dataDir, 'signed.jpg');
    fs.writeFileSync(
      signedPath,
      await signJpegWithC2pa(await makePhoto(41, { width: 96, height: 64 }), await makeC2paSigner()),
    );
    const photo = await makePhoto(42, { width: 96, height: 64 });
    const zipPath = path.join(dataDir, 'proofmode.zip');
    const sha256 = createHash('sha256').update(photo).digest('hex');
    fs.writeFileSync(zipPath, await makeProofModeBundle(photo, 'IMG_9.jpg', sha256, await makePgpKey()));

    const added = JSON.parse(
      await armtrace('media', 'add', signedPath, zipPath, '--investigation', investigation.id, '--json'),
    ) as UploadedMedia[];
    assert.equal(added.length, 2);
    assert.equal(added[1]!.sha256, sha256);
    assert.deepEqual(
      added.map((media) => media.proofs.map((proof) => `${proof.kind} ${proof.signature_state}`)),
      [['c2pa verified'], ['proofmode verified']],
    );

    const c2pa = await armtrace('media', 'show', added[0]!.id);
    assert.match(
      c2pa,
      /PROOF C2PA Content Credentials: claims present \(armtrace-test-camera\/1\.0\); signature verified/,
    );
    assert.match(c2pa, /signer: CN=armtrace test signer/);
    assert.match(c2pa, /actions: c2pa\.created/);
    const proofMode = await armtrace('media', 'show', added[1]!.id);
    assert.match(proofMode, /PROOF ProofMode proof: claims present \(ProofMode\); signature verified/);
    assert.match(proofMode, /file: bundle [0-9a-f]{64} proofmode\.zip/);
  });
});
