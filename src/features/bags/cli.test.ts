import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { makePhoto } from '../../testing/media.js';

interface AddedJson {
  id: string;
  sha256: string;
  stored: string;
  same_file: string[];
}

describe('evidence commands: media add, verify, audit checkpoint, export bag, verify-bag', () => {
  let dataDir: string;
  let files: string;
  let cli: CliSandbox;
  let env: NodeJS.ProcessEnv;
  const armtrace = (...args: string[]) => cli.run(...args);

  before(async () => {
    cli = await createCliSandbox('armtrace-evidence-cli-');
    ({ root: dataDir, env } = cli);
    files = path.join(dataDir, 'incoming');
    fs.mkdirSync(files);
  });
  after(async () => {
    await cli.close();
  });

  it('stores, finds, checkpoints, verifies and bags evidence from the command line', async () => {
    succeeded(await armtrace('init'));
    const investigation = JSON.parse(
      succeeded(await armtrace('investigation', 'add', '--title', 'Depot survey', '--json')),
    ) as { id: string };

    const photo = await makePhoto(31, { width: 800, height: 600 });
    const paths = {
      photo: path.join(files, 'IMG_0001.JPG'),
      copy: path.join(files, 'IMG_0001 (copy).jpg'),
      resized: path.join(files, 'republished.webp'),
      other: path.join(files, 'IMG_0002.JPG'),
      lying: path.join(files, 'scan.jpg'),
    };
    fs.writeFileSync(paths.photo, photo);
    fs.writeFileSync(paths.copy, photo);
    fs.writeFileSync(paths.resized, await sharp(photo).resize(400).webp({ quality: 60 }).toBuffer());
    fs.writeFileSync(paths.other, await makePhoto(32, { width: 800, height: 600 }));
    fs.writeFileSync(paths.lying, '%PDF-1.4\n%%EOF\n');

    const added = JSON.parse(
      succeeded(
        await armtrace(
          'media',
          'add',
          paths.photo,
          paths.copy,
          paths.resized,
          paths.other,
          '--investigation',
          investigation.id,
          '--credit',
          'Field team 2',
          '--json',
        ),
      ),
    ) as AddedJson[];
    assert.equal(added.length, 4);
    const expected = execFileSync('sha256sum', [paths.photo], { encoding: 'utf8' }).split(' ')[0];
    assert.equal(added[0]!.sha256, expected);
    assert.deepEqual(
      [added[1]!.stored, added[1]!.sha256, added[1]!.same_file],
      ['already_stored', expected, [added[0]!.id]],
    );

    const refused = await armtrace('media', 'add', paths.lying, '--investigation', investigation.id);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /error \[validation_failed\] .*scan\.jpg: .*application\/pdf/);

    const similar = JSON.parse(succeeded(await armtrace('media', 'similar', added[0]!.id, '--json'))) as {
      items: { distance: number; media: { id: string } }[];
    };
    const similarIds = similar.items.map((entry) => entry.media.id);
    assert.ok(similarIds.includes(added[2]!.id), JSON.stringify(similar));
    assert.ok(!similarIds.includes(added[3]!.id), JSON.stringify(similar));

    const downloaded = path.join(dataDir, 'downloaded.jpg');
    succeeded(await armtrace('media', 'download', added[0]!.id, downloaded));
    assert.deepEqual(fs.readFileSync(downloaded), photo);

    const checkpoint = JSON.parse(succeeded(await armtrace('audit', 'checkpoint', '--json'))) as {
      seq: number;
      hash: string;
    };
    assert.match(checkpoint.hash, /^[0-9a-f]{64}$/);
    const verified = succeeded(await armtrace('verify', '--checkpoint', `${checkpoint.seq}:${checkpoint.hash}`));
    assert.match(verified, /^OK: .* 2 checkpoint\(s\); .* 3 stored originals match their hashes\.$/m);

    const bag = path.join(dataDir, 'bag');
    assert.match(succeeded(await armtrace('export', 'bag', '--investigation', investigation.id, bag)), /3 originals/);
    assert.match(succeeded(await armtrace('verify-bag', bag)), /^OK: /);
    const bagged = path.join(bag, 'data', 'originals', `${expected}.jpg`);
    fs.chmodSync(bagged, 0o644);
    fs.appendFileSync(bagged, 'x');
    const badBag = await armtrace('verify-bag', bag);
    assert.equal(badBag.code, 1);
    assert.match(badBag.stdout, new RegExp(`^ALTERED data/originals/${expected}\\.jpg: `, 'm'));

    const stored = path.join(
      env.ARMTRACE_DATA!,
      'media',
      'sha256',
      expected!.slice(0, 2),
      expected!.slice(2, 4),
      expected!,
    );
    fs.chmodSync(stored, 0o644);
    fs.appendFileSync(stored, 'x');
    const tampered = await armtrace('verify');
    assert.equal(tampered.code, 1);
    assert.match(tampered.stdout, new RegExp(`^FAIL file_changed: .*IMG_0001.*${stored}`, 'm'));
  });
});
