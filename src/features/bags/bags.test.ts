import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { findInvestigationHead } from '../audit/repository.js';
import { exportInvestigation } from '../export/service.js';
import { buildReportHtml } from '../report/service.js';
import type { UploadedMedia } from '../media/schema.js';
import {
  addAuditedMarking,
  createMediaTestApp,
  makePhoto,
  multipartBody,
  type MediaTestApp,
} from '../../testing/media.js';
import { isSafeBagPath, verifyBag } from './bagit.js';
import { exportBag } from './service.js';

function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function problemsOf(result: { problems: { kind: string; path?: string }[] }) {
  return result.problems.map(({ kind, path: at }) => ({ kind, path: at }));
}

describe('BagIt export and verify-bag', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let workDir: string;
  let first: { siteId: string; itemId: string; markingId: string };
  let second: { siteId: string; itemId: string; markingId: string };
  const uploaded: UploadedMedia[] = [];

  async function upload(bytes: Buffer, fields: Record<string, string>, filename: string, contentType = 'image/jpeg') {
    const body = multipartBody(fields, { filename, contentType, bytes });
    const response = await media.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { ...body.headers, cookie: await world.cookieFor('owner') },
      payload: body.payload,
    });
    assert.equal(response.statusCode, 201, response.body);
    uploaded.push(response.json());
    return response.json<UploadedMedia>();
  }

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bags-'));
    first = await addAuditedMarking(world, world.owner, world.investigationId);
    second = await addAuditedMarking(world, world.owner, world.investigationId);
    const photo = await makePhoto(21, { width: 320, height: 240 });
    await upload(photo, { item_id: first.itemId, credit: 'Field team 2', licence: 'CC BY 4.0' }, 'IMG_1.JPG');
    // The same bytes again, credited to an outlet that republished them.
    await upload(photo, { marking_id: first.markingId, credit: 'Image source: QQ' }, 'qq.jpg');
    await upload(await makePhoto(22, { width: 320, height: 240 }), { item_id: second.itemId }, 'IMG_2.JPG');
    await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), {}, 'report.pdf', 'application/pdf');
  });
  after(async () => {
    await media.close();
    await world.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('L2: exports, bags and reports show no global audit position', async () => {
    async function positions(name: string) {
      const document = await exportInvestigation(world.db, world.owner, world.investigationId);
      const out = path.join(workDir, name);
      const bag = await exportBag(world.db, media.store, world.owner, world.investigationId, {}, out);
      assert.equal((await verifyBag(out)).ok, true);
      const info = fs.readFileSync(path.join(out, 'bag-info.txt'), 'utf8');
      const html = await buildReportHtml(world.db, world.owner, world.investigationId, { lang: 'en' });
      return {
        exported: document.audit_head,
        bagged: bag.audit_head,
        bagInfo: /^Armtrace-Audit-Head: .*$/m.exec(info)?.[0],
        reported: /<footer>.*<\/footer>/s.exec(html)?.[0],
      };
    }
    const own = await findInvestigationHead(world.db, world.investigationId);
    assert.ok(own !== undefined);
    const beforeOthers = await positions('l2-before');
    assert.deepEqual(beforeOthers.exported, own);
    assert.deepEqual(beforeOthers.bagged, own);
    assert.equal(beforeOthers.bagInfo, `Armtrace-Audit-Head: ${own.position}:${own.hash}`);
    assert.ok(beforeOthers.reported?.includes(own.hash));
    assert.ok(beforeOthers.reported?.includes(`had ${own.position} entries`));

    // Another team writes records in its own investigation: nothing shown here may move.
    await addAuditedMarking(world, world.outsider, world.otherInvestigationId);
    await addAuditedMarking(world, world.outsider, world.otherInvestigationId);
    const afterOthers = await positions('l2-after');
    assert.deepEqual(afterOthers, beforeOthers);
  });

  it('writes a bag of the whole investigation that verifies', async () => {
    const out = path.join(workDir, 'whole');
    const result = await exportBag(world.db, media.store, world.owner, world.investigationId, {}, out);
    assert.equal(result.originals, 3);
    assert.equal(result.files, 5);
    const head = await findInvestigationHead(world.db, world.investigationId);
    assert.deepEqual(result.audit_head, head);

    const verification = await verifyBag(out);
    assert.deepEqual(verification.problems, []);
    assert.equal(verification.ok, true);
    assert.deepEqual(verification.algorithms, ['sha256']);
    assert.equal(verification.payload_files, 5);

    assert.equal(
      fs.readFileSync(path.join(out, 'bagit.txt'), 'utf8'),
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const info = fs.readFileSync(path.join(out, 'bag-info.txt'), 'utf8');
    assert.match(info, new RegExp(`^External-Identifier: ${world.investigationId}$`, 'm'));
    assert.match(info, /^Armtrace-Investigation: .* Test investigation$/m);
    assert.match(info, /^Armtrace-Exported-By: owner$/m);
    assert.match(info, /^Armtrace-Exported-At: \d{4}-\d{2}-\d{2}T/m);
    assert.match(info, new RegExp(`^Armtrace-Audit-Head: ${head!.position}:${head!.hash}$`, 'm'));
    assert.match(info, /^Payload-Oxum: \d+\.5$/m);

    const manifest = fs.readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    for (const record of uploaded) {
      const ext = record.media_type === 'application/pdf' ? 'pdf' : 'jpg';
      const file = path.join(out, 'data', 'originals', `${record.sha256}.${ext}`);
      assert.deepEqual(fs.readFileSync(file), fs.readFileSync(media.originalPath(record.sha256)));
      assert.match(manifest, new RegExp(`^${record.sha256}  data/originals/${record.sha256}\\.${ext}$`, 'm'));
    }
    const tagManifest = fs.readFileSync(path.join(out, 'tagmanifest-sha256.txt'), 'utf8');
    for (const tag of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt']) {
      assert.match(tagManifest, new RegExp(`^${sha256(fs.readFileSync(path.join(out, tag)))}  ${tag}$`, 'm'));
    }
    const records = JSON.parse(fs.readFileSync(path.join(out, 'data', 'records.json'), 'utf8')) as {
      records: { media: { id: string }[]; items: unknown[] };
      originals: { path: string; media_ids: string[] }[];
    };
    assert.equal(records.records.media.length, 4);
    assert.equal(records.records.items.length, 2);
    assert.deepEqual(records.originals.find((entry) => entry.media_ids.length === 2)?.media_ids, [
      uploaded[0]!.id,
      uploaded[1]!.id,
    ]);
    const credits = fs.readFileSync(path.join(out, 'data', 'CREDITS.txt'), 'utf8');
    assert.match(credits, /Credit: Field team 2/);
    assert.match(credits, /Licence: CC BY 4.0/);
    assert.match(credits, /Credit: Image source: QQ/);
  });

  it('names each altered, missing and extra file and refuses paths that leave the bag', async () => {
    const out = path.join(workDir, 'tampered');
    await exportBag(world.db, media.store, world.owner, world.investigationId, {}, out);
    const photo = `data/originals/${uploaded[0]!.sha256}.jpg`;
    const other = `data/originals/${uploaded[2]!.sha256}.jpg`;
    fs.chmodSync(path.join(out, photo), 0o644);
    fs.appendFileSync(path.join(out, photo), 'x');
    fs.rmSync(path.join(out, other));
    fs.writeFileSync(path.join(out, 'data', 'added.txt'), 'not part of the export');
    fs.appendFileSync(path.join(out, 'bag-info.txt'), 'Contact-Name: someone else\n');
    fs.writeFileSync(path.join(workDir, 'outside.txt'), 'outside the bag');
    fs.appendFileSync(
      path.join(out, 'manifest-sha256.txt'),
      `${sha256('outside the bag')}  data/../../outside.txt\n${'0'.repeat(64)}  /etc/passwd\n`,
    );
    const result = await verifyBag(out);
    assert.equal(result.ok, false);
    const problems = problemsOf(result);
    for (const expected of [
      { kind: 'unsafe_path', path: 'data/../../outside.txt' },
      { kind: 'unsafe_path', path: '/etc/passwd' },
      { kind: 'altered', path: 'bag-info.txt' },
      { kind: 'altered', path: 'manifest-sha256.txt' },
      { kind: 'altered', path: photo },
      { kind: 'missing', path: other },
      { kind: 'extra', path: 'data/added.txt' },
    ]) {
      assert.ok(
        problems.some((problem) => problem.kind === expected.kind && problem.path === expected.path),
        `${JSON.stringify(expected)} in ${JSON.stringify(problems)}`,
      );
    }
    assert.ok(problems.some((problem) => problem.kind === 'invalid' && problem.path === 'bag-info.txt'));
  });

  it('validates bags written by other tools: other algorithms, CRLF, percent-encoded names', async () => {
    const bag = path.join(workDir, 'foreign');
    fs.mkdirSync(path.join(bag, 'data', 'sub dir'), { recursive: true });
    const name = 'data/sub dir/100%.txt';
    fs.writeFileSync(path.join(bag, ...name.split('/')), 'hello');
    fs.writeFileSync(path.join(bag, 'bagit.txt'), 'BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8\r\n');
    const sha512 = createHash('sha512').update('hello').digest('hex');
    fs.writeFileSync(path.join(bag, 'manifest-sha512.txt'), `${sha512} data/sub dir/100%25.txt\r\n`);
    fs.writeFileSync(
      path.join(bag, 'manifest-md5.txt'),
      `${createHash('md5').update('hello').digest('hex')}\tdata/sub dir/100%25.txt\n`,
    );
    assert.deepEqual((await verifyBag(bag)).problems, []);

    fs.writeFileSync(path.join(bag, ...name.split('/')), 'hellO');
    assert.deepEqual(problemsOf(await verifyBag(bag)), [{ kind: 'altered', path: name }]);

    fs.rmSync(path.join(bag, 'bagit.txt'));
    assert.ok(problemsOf(await verifyBag(bag)).some((problem) => problem.path === 'bagit.txt'));
    assert.deepEqual(problemsOf(await verifyBag(path.join(workDir, 'no-such-bag'))), [
      { kind: 'invalid', path: undefined },
    ]);
    for (const unsafe of ['../x', 'data/../x', '/abs', 'C:/x', 'data//x', 'data/./x', 'data\\x', '~/x']) {
      assert.equal(isSafeBagPath(unsafe), false, unsafe);
    }
    assert.equal(isSafeBagPath('data/originals/a.jpg'), true);
  });

  it('exports only the records about chosen items', async () => {
    const out = path.join(workDir, 'one-item');
    const result = await exportBag(
      world.db,
      media.store,
      world.owner,
      world.investigationId,
      { items: [first.itemId] },
      out,
    );
    assert.equal(result.originals, 1);
    assert.equal((await verifyBag(out)).ok, true);
    const document = JSON.parse(fs.readFileSync(path.join(out, 'data', 'records.json'), 'utf8')) as {
      selected_items: string[];
      records: Record<string, { id?: string }[]>;
    };
    assert.deepEqual(document.selected_items, [first.itemId]);
    assert.deepEqual(
      document.records.items!.map((row) => row.id),
      [first.itemId],
    );
    assert.deepEqual(
      document.records.sites!.map((row) => row.id),
      [first.siteId],
    );
    assert.deepEqual(document.records.media!.map((row) => row.id).sort(), [uploaded[0]!.id, uploaded[1]!.id].sort());
    assert.match(
      fs.readFileSync(path.join(out, 'bag-info.txt'), 'utf8'),
      new RegExp(`^Armtrace-Items: ${first.itemId}$`, 'm'),
    );

    await assert.rejects(
      exportBag(
        world.db,
        media.store,
        world.owner,
        world.investigationId,
        { items: [second.markingId] },
        path.join(workDir, 'bad'),
      ),
      (error: Error & { code?: string }) =>
        error.code === 'not_found' && /not in this investigation/.test(error.message),
    );
  });

  it('refuses an existing folder, an outsider, and an original changed in the store', async () => {
    const existing = path.join(workDir, 'whole');
    await assert.rejects(
      exportBag(world.db, media.store, world.owner, world.investigationId, {}, existing),
      (error: Error & { code?: string }) => error.code === 'already_exists',
    );
    await assert.rejects(
      exportBag(world.db, media.store, world.outsider, world.investigationId, {}, path.join(workDir, 'outsider')),
      (error: Error & { code?: string }) => error.code === 'not_found',
    );
    const file = media.originalPath(uploaded[2]!.sha256);
    const bytes = fs.readFileSync(file);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from('tampered')]));
    try {
      const out = path.join(workDir, 'from-tampered-store');
      await assert.rejects(
        exportBag(world.db, media.store, world.owner, world.investigationId, {}, out),
        (error: Error & { code?: string }) =>
          error.code === 'constraint_violated' && error.message.includes(uploaded[2]!.sha256),
      );
      assert.deepEqual(
        fs.readdirSync(workDir).filter((entry) => entry.startsWith('from-tampered-store')),
        [],
      );
    } finally {
      fs.writeFileSync(file, bytes);
      fs.chmodSync(file, 0o444);
    }
  });
});
