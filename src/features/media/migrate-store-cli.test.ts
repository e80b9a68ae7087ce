// `armtrace media migrate-store`: a folder store copied into an S3-compatible store (s3rver on loopback), every
// object re-hashed there, resumable; then the same installation runs on the S3 store.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { makePhoto } from '../../testing/media.js';
import { startTestS3Server, type TestS3Server } from '../../testing/s3.js';
import type { StoreCopySummary } from '../../storage/migrate.js';
import type { UploadedMedia } from './schema.js';

describe('armtrace media migrate-store (CLI)', () => {
  let cli: CliSandbox;
  let s3: TestS3Server;
  const armtrace = async (...args: string[]) => succeeded(await cli.run(...args));

  before(async () => {
    cli = await createCliSandbox('armtrace-migrate-store-');
    s3 = await startTestS3Server({ prefix: 'armtrace/' });
  });
  after(async () => {
    await s3.close();
    await cli.close();
  });

  it('refuses without an S3 store configured, copies and verifies every object, resumes, and then serves from S3', async () => {
    await armtrace('init');
    const investigation = JSON.parse(await armtrace('investigation', 'add', '--title', 'Moving', '--json')) as {
      id: string;
    };
    const photos = await Promise.all([51, 52].map((seed) => makePhoto(seed, { width: 96, height: 64 })));
    const files = photos.map((bytes, index) => {
      const file = path.join(cli.root, `IMG_${index}.jpg`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const added = JSON.parse(
      await armtrace('media', 'add', ...files, '--investigation', investigation.id, '--json'),
    ) as UploadedMedia[];
    assert.deepEqual(
      added.map((media) => media.sha256),
      photos.map((bytes) => createHash('sha256').update(bytes).digest('hex')),
    );

    // The target must be an S3 store: with the folder store configured, nothing happens.
    const refused = await cli.run('media', 'migrate-store');
    assert.equal(refused.code, 2, refused.stderr); // a usage error: nothing was copied
    assert.match(refused.stderr, /validation_failed.*ARMTRACE_STORE=s3/);
    // ARMTRACE_STORE=s3 without a bucket stops before any work, naming the variable.
    Object.assign(cli.env, { ARMTRACE_STORE: 's3' });
    const incomplete = await cli.run('media', 'migrate-store');
    assert.notEqual(incomplete.code, 0);
    assert.match(incomplete.stderr, /ARMTRACE_S3_BUCKET: required with ARMTRACE_STORE=s3/);

    Object.assign(cli.env, s3.env);
    const first = await cli.run('media', 'migrate-store', '--json');
    const summary = JSON.parse(succeeded(first)) as StoreCopySummary & { source: string; target: string };
    assert.equal(summary.target, `s3://${s3.bucket}/armtrace/`);
    assert.equal(summary.source, path.join(cli.env.ARMTRACE_DATA!, 'media'));
    assert.deepEqual(
      { objects: summary.objects, copied: summary.copied, already: summary.already_present, ok: summary.ok },
      { objects: 2, copied: 2, already: 0, ok: true },
    );
    assert.match(first.stderr, /2 object\(s\), \d+ bytes: 2 copied, 0 already present, 0 failed/);

    const again = JSON.parse(await armtrace('media', 'migrate-store', '--json')) as StoreCopySummary;
    assert.deepEqual([again.copied, again.already_present, again.ok], [0, 2, true]);

    // The installation now reads its originals from S3: verify re-hashes them there, downloads come from there.
    assert.match(await armtrace('verify'), /^OK: .* 2 stored originals match their hashes\./m);
    const out = path.join(cli.root, 'from-s3.jpg');
    await armtrace('media', 'download', added[1]!.id, out);
    assert.deepEqual(fs.readFileSync(out), photos[1]);
  });
});
