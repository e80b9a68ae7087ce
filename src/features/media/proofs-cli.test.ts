// `armtrace media add` reads the proofs a photo comes with (a C2PA-signed JPEG, a ProofMode zip made here at test
// time) and `armtrace media show` prints "claims present" and the signature's state apart.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { makeC2paSigner, makePgpKey, makeProofModeBundle, signJpegWithC2pa } from './proof-fixtures.js';
import type { UploadedMedia } from './schema.js';
import { makePhoto } from './test-helpers.js';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const bin = path.join(repoRoot, 'bin', 'armtrace.mjs');

describe('media add and media show with proofs (CLI)', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;

  function armtrace(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}\nstdout: ${stdout}\nstderr: ${stderr}`)),
      );
    });
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-proofs-cli-'));
    env = { ...process.env, ARMTRACE_DATA: path.join(dataDir, 'data'), ARMTRACE_LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
      database = await createTestDatabase({ migrated: false });
      env.DATABASE_URL = database.url;
    }
  });
  after(async () => {
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('adds a C2PA-signed JPEG and a ProofMode zip, and shows their proofs', async () => {
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
