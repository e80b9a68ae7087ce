// PostgreSQL-only: two `armtrace serve` processes share one database, which the embedded database (one process,
// a locked data directory) cannot do; scripts/run-tests.mjs runs this file in the PostgreSQL pass only, and the
// file fails (never skips) when it is run without DATABASE_URL.
//
// Issue 16, "Done when": two servers on one PostgreSQL with the S3-protocol store behind them. An upload in
// progress (tus) started on one server is finished on the other; a photo uploaded through one is served by the
// other; an item import previewed through one is confirmed through the other (as a job, its progress read from
// either), and so is an ODK export; concurrent writes through both leave every write present and one valid audit
// chain (`armtrace verify`).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createHash } from 'node:crypto';
import { INSTANCE_KEY_FILE } from '../../src/features/signing/instance-key.js';
import { armtraceCommand, createCliSandbox, succeeded, type CliSandbox } from '../../src/testing/cli.js';
import { makePhoto, multipartBody } from '../../src/testing/media.js';
import { odataExportJson, odataSubmission } from '../../src/testing/odk.js';
import { startTestS3Server, type TestS3Server } from '../../src/testing/s3.js';

if (process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === '') {
  throw new Error(
    'test/scale/two-servers.test.ts needs PostgreSQL: run it with DATABASE_URL set (scripts/run-tests.mjs runs it in the PostgreSQL pass of test-all.sh).',
  );
}

interface RunningServer {
  name: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

async function startServer(name: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const [command, ...args] = await armtraceCommand();
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args, 'serve', '--host', '127.0.0.1', '--port', '0', '--no-example'], {
      env: { ...env, ARMTRACE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const running = /armtrace is running at (\S+)\n/.exec(stderr);
      if (running !== null) resolve({ name, child, url: running[1]!, exited, stderr: () => stderr });
    });
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`server ${name} exited (${code}) before it ran:\n${stderr}`)));
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const tusMetadata = (values: Record<string, string>) =>
  Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

describe('two armtrace servers on one PostgreSQL and one S3-protocol store', () => {
  let s3: TestS3Server;
  let cli: CliSandbox;
  let a: RunningServer;
  let b: RunningServer;
  /** What before() started, stopped by after() in reverse order (also when before() failed half-way). */
  const cleanups: (() => Promise<unknown>)[] = [];
  let cookie: string;
  let investigationId: string;
  let siteId: string;

  async function call(server: RunningServer, method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** The keys of the bucket under `prefix`: where uploads in progress are (no server's disk). */
  async function bucketKeys(prefix: string): Promise<string[]> {
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
      return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
    } finally {
      client.destroy();
    }
  }

  async function json<T>(response: Response, status: number): Promise<T> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    return JSON.parse(text) as T;
  }

  before(async () => {
    s3 = await startTestS3Server({ prefix: 'evidence/' });
    cleanups.push(() => s3.close());
    cli = await createCliSandbox('armtrace-two-servers-');
    cleanups.push(() => cli.close());
    Object.assign(cli.env, s3.env);
    const init = await cli.run('init');
    succeeded(init);
    const password = /one-time password:\n\n\s+(\S+)\n/.exec(init.stderr)?.[1];
    assert.ok(password !== undefined, init.stderr);
    // Each server has its own data folder (nothing shared on disk) with the same signing key, as deploy.md says.
    const servers: RunningServer[] = [];
    for (const name of ['a', 'b']) {
      const dataDir = path.join(cli.root, name);
      fs.mkdirSync(dataDir);
      fs.copyFileSync(path.join(cli.env.ARMTRACE_DATA!, INSTANCE_KEY_FILE), path.join(dataDir, INSTANCE_KEY_FILE));
      const server = await startServer(name, { ...cli.env, ARMTRACE_DATA: dataDir });
      cleanups.push(async () => {
        if (server.child.exitCode !== null) return;
        server.child.kill('SIGTERM');
        await server.exited;
      });
      servers.push(server);
    }
    [a, b] = servers as [RunningServer, RunningServer];
    const signIn = await fetch(`${a.url}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    assert.equal(signIn.status, 200, await signIn.text());
    cookie = signIn.headers
      .getSetCookie()
      .map((entry) => entry.split(';')[0])
      .join('; ');
    // The session made on A is known to B: sessions live in the database.
    investigationId = (
      await json<{ id: string }>(await call(b, 'POST', '/api/v1/investigations', { title: 'Two servers' }), 201)
    ).id;
    siteId = (
      await json<{ id: string }>(
        await call(a, 'POST', `/api/v1/investigations/${investigationId}/sites`, { site_type: 'cache', name: 'Depot' }),
        201,
      )
    ).id;
  });

  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('finishes on B a tus upload started on A, and A serves the original', async () => {
    const photo = await makePhoto(16, { width: 900, height: 700 });
    const mediaId = uuidv7();
    const created = await fetch(`${a.url}/api/v1/uploads`, {
      method: 'POST',
      headers: {
        cookie,
        'tus-resumable': '1.0.0',
        'upload-length': String(photo.length),
        'upload-metadata': tusMetadata({
          investigation_id: investigationId,
          media_id: mediaId,
          sha256: sha256(photo),
          filename: 'depot.jpg',
          site_id: siteId,
        }),
      },
    });
    assert.equal(created.status, 201, await created.text());
    const location = created.headers.get('location')!;
    assert.equal(location, `/api/v1/uploads/${mediaId}`);
    const cut = Math.floor(photo.length * 0.4);
    const patch = (server: RunningServer, offset: number, bytes: Buffer) =>
      fetch(`${server.url}${location}`, {
        method: 'PATCH',
        headers: {
          cookie,
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body: bytes,
      });
    const first = await patch(a, 0, photo.subarray(0, cut));
    assert.equal(first.status, 204, await first.text());
    // The upload in progress is in the bucket (its description, and the bytes short of a part), on no server's disk.
    assert.deepEqual(await bucketKeys('evidence/uploads/'), [
      `evidence/uploads/${mediaId}.info`,
      `evidence/uploads/${mediaId}.part`,
    ]);
    // The device's connection breaks; it asks another server where to resume.
    const head = await fetch(`${b.url}${location}`, { method: 'HEAD', headers: { cookie, 'tus-resumable': '1.0.0' } });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('upload-offset'), String(cut));
    const last = await patch(b, cut, photo.subarray(cut));
    assert.equal(last.status, 204, await last.text());
    assert.equal(last.headers.get('armtrace-media-id'), mediaId);
    assert.deepEqual(await bucketKeys('evidence/uploads/'), [], 'made evidence, the upload in progress is removed');
    assert.deepEqual(await bucketKeys(`evidence/sha256/${sha256(photo)}`), [`evidence/sha256/${sha256(photo)}`]);
    const original = await call(a, 'GET', `/api/v1/media/${mediaId}/original`);
    assert.equal(original.status, 200);
    assert.deepEqual(Buffer.from(await original.arrayBuffer()), photo, 'the bytes as sent');
    const media = await json<{ sha256: string; media_type: string }>(
      await call(b, 'GET', `/api/v1/media/${mediaId}`),
      200,
    );
    assert.equal(media.sha256, sha256(photo));
    assert.equal(media.media_type, 'image/jpeg');
  });

  it('serves through B a photo uploaded through A (original and thumbnail)', async () => {
    const photo = await makePhoto(17);
    const { payload, headers } = multipartBody({}, { filename: 'crate.jpg', contentType: 'image/jpeg', bytes: photo });
    const uploaded = await fetch(`${a.url}/api/v1/investigations/${investigationId}/media`, {
      method: 'POST',
      headers: { cookie, ...headers },
      body: payload,
    });
    const media = await json<{ id: string }>(uploaded, 201);
    const original = await call(b, 'GET', `/api/v1/media/${media.id}/original`);
    assert.equal(original.status, 200);
    assert.deepEqual(Buffer.from(await original.arrayBuffer()), photo);
    // The thumbnail is made by a media.derivatives job, which either server may run (pg-boss), from the original in
    // the bucket; until then B answers 404 derivative_not_ready with Retry-After.
    let state = 'pending';
    for (let look = 0; state === 'pending'; look += 1) {
      if (look > 0) await sleep(200);
      assert.ok(look < 600, 'the derivatives job never ended');
      const early = await call(b, 'GET', `/api/v1/media/${media.id}/thumbnail`);
      if (early.status === 404) {
        assert.equal(((await early.json()) as { code: string }).code, 'derivative_not_ready');
        assert.equal(early.headers.get('retry-after'), '2');
      } else await early.arrayBuffer();
      state = (await json<{ derivatives: { state: string } }>(await call(b, 'GET', `/api/v1/media/${media.id}`), 200))
        .derivatives.state;
    }
    assert.equal(state, 'ready');
    const thumbnail = await call(b, 'GET', `/api/v1/media/${media.id}/thumbnail`);
    assert.equal(thumbnail.status, 200);
    assert.equal(thumbnail.headers.get('content-type'), 'image/webp');
  });

  /** Previews an item CSV through `server`: the answer names the kept file by its SHA-256. */
  async function previewImport(server: RunningServer, csv: string): Promise<{ sha256: string }> {
    const { payload, headers } = multipartBody(
      {},
      { filename: 'items.csv', contentType: 'text/csv', bytes: Buffer.from(csv) },
    );
    const answer = await fetch(`${server.url}/api/v1/investigations/${investigationId}/imports/items/preview`, {
      method: 'POST',
      headers: { cookie, ...headers },
      body: payload,
    });
    return json<{ sha256: string }>(answer, 200);
  }

  const importHeader = 'site_ref,site_name,site_type,lat,lon,item_ref,category,quantity,marking_kind,marking_text\n';

  it('confirms through B, as a job whose progress A and B both read, an item import previewed through A', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, index) => `T1,Orchard,storage_depot,36.34,43.18,IMP-${index},small_arm,1,serial,QX ${1000 + index}\n`,
    );
    const { sha256: hash } = await previewImport(a, `${importHeader}${rows.join('')}`);
    // Kept in the shared store's staging area under a random id (not its hash), on no server's disk.
    const staged = await bucketKeys('evidence/staging/');
    assert.equal(staged.length, 1, staged.join(', '));
    assert.match(staged[0]!, /^evidence\/staging\/[0-9a-f-]{36}$/);
    assert.ok(!staged[0]!.includes(hash));
    for (const name of ['a', 'b']) {
      assert.ok(!fs.existsSync(path.join(cli.root, name, 'import-uploads')), `nothing under server ${name}'s data`);
    }
    const checked = await json<{ sha256: string }>(
      await call(b, 'POST', `/api/v1/investigations/${investigationId}/imports/items/check`, { sha256: hash }),
      200,
    );
    assert.equal(checked.sha256, hash);
    type Job = { id: string; state: string; phase: string; result: { items_created: number } | null; problem: unknown };
    const started = await json<Job>(
      await call(b, 'POST', `/api/v1/investigations/${investigationId}/imports/items/jobs`, { sha256: hash }),
      202,
    );
    let job = started;
    for (let poll = 0; job.state === 'running'; poll += 1) {
      assert.ok(poll < 600, 'the import job finished');
      // Either server answers where it stands: the progress is in the jobs table, not in the process running it.
      job = await json<Job>(await call(poll % 2 === 0 ? a : b, 'GET', `/api/v1/imports/jobs/${started.id}`), 200);
      if (job.state === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const onA = await json<Job>(await call(a, 'GET', `/api/v1/imports/jobs/${started.id}`), 200);
    const onB = await json<Job>(await call(b, 'GET', `/api/v1/imports/jobs/${started.id}`), 200);
    assert.deepEqual(onA, onB);
    assert.equal(onB.state, 'done', JSON.stringify(onB.problem));
    assert.equal(onB.phase, 'analyse');
    assert.equal(onB.result?.items_created, 40);
    assert.deepEqual(await bucketKeys('evidence/staging/'), [], 'imported, the kept file is removed');
    // Imported once: the same confirmation again finds nothing kept.
    const again = await call(a, 'POST', `/api/v1/investigations/${investigationId}/imports/items`, { sha256: hash });
    assert.equal(again.status, 404, await again.text());

    // Without a job: previewed through B, imported through A in the request.
    const second = await previewImport(b, `${importHeader}T1,,,,,IMP-SYNC,cartridges,5,,\n`);
    const imported = await json<{ items_created: number }>(
      await call(a, 'POST', `/api/v1/investigations/${investigationId}/imports/items`, { sha256: second.sha256 }),
      201,
    );
    assert.equal(imported.items_created, 1);
    assert.deepEqual(await bucketKeys('evidence/staging/'), []);
  });

  it('imports through B an ODK Central export checked (dry run) through A', async () => {
    // The form import keeps nothing between requests: the dry run and the import each send the file.
    const odata = odataExportJson([
      odataSubmission({ siteId, instance: `uuid:${uuidv7()}`, category: 'fuze', zone: null }),
    ]);
    const send = (server: RunningServer, dryRun: boolean) => {
      const { payload, headers } = multipartBody(
        {},
        { filename: 'submissions.json', contentType: 'application/json', bytes: Buffer.from(odata) },
      );
      return fetch(`${server.url}/api/v1/investigations/${investigationId}/forms/import?dry_run=${String(dryRun)}`, {
        method: 'POST',
        headers: { cookie, ...headers },
        body: payload,
      });
    };
    const checked = await json<{ items_created: number; dry_run: boolean }>(await send(a, true), 200);
    assert.deepEqual([checked.dry_run, checked.items_created], [true, 1]);
    const imported = await json<{ items_created: number; dry_run: boolean }>(await send(b, false), 201);
    assert.deepEqual([imported.dry_run, imported.items_created], [false, 1]);
  });

  it('keeps every one of 2 × 50 concurrent item creations and one valid audit chain', async () => {
    const ids = Array.from({ length: 100 }, () => uuidv7());
    const answers = await Promise.all(
      ids.map((id, index) =>
        call(index % 2 === 0 ? a : b, 'POST', `/api/v1/investigations/${investigationId}/items`, {
          id,
          site_id: siteId,
          category: 'small_arm',
          observations: `Concurrent write ${index}`,
        }).then(async (response) => ({ status: response.status, text: await response.text() })),
      ),
    );
    for (const answer of answers) assert.equal(answer.status, 201, answer.text);
    const client = new pg.Client({ connectionString: cli.env.DATABASE_URL });
    await client.connect();
    try {
      const stored = await client.query<{ id: string }>(
        // The items of this test only: the imports above wrote others into the same investigation.
        "SELECT id::text AS id FROM items WHERE investigation_id = $1 AND observations LIKE 'Concurrent write %'",
        [investigationId],
      );
      assert.deepEqual(stored.rows.map((row) => row.id).sort(), [...ids].sort());
      const audited = await client.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM audit_log WHERE entity_type = 'items' AND entity_id = ANY($1::uuid[])",
        [ids],
      );
      assert.equal(audited.rows[0]!.count, 100);
    } finally {
      await client.end();
    }
    const verify = succeeded(await cli.run('verify'));
    assert.match(verify, /^OK: /m);
  });
});
