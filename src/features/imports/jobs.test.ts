// An import started as a job: answered at once, then polled for its phase and rows done until its result (or
// its problem, with nothing written); only the user who started it can read it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { addMember } from '../investigations/service.js';
import { createMediaTestApp, multipartBody, type MediaTestApp } from '../../testing/media.js';
import { createImportJobRegistry, type ImportJob } from './jobs.js';

const header = 'site_ref,site_name,site_type,lat,lon,item_ref,category,quantity,marking_kind,marking_text\n';
const rows = Array.from({ length: 30 }, (_, index) => `S1,Depot,storage_depot,36.34,43.18,J${index},small_arm,1,,\n`);
const csv = `${header}${rows.join('')}`;

let world: TestWorld;
let web: MediaTestApp;
let cookie: string;

before(async () => {
  world = await createTestWorld();
  web = await createMediaTestApp(world);
  cookie = await world.cookieFor('owner');
  await createTestUser(world.db, 'colleague');
  await addMember(world.db, world.owner, world.investigationId, { username: 'colleague', role: 'investigator' });
});
after(async () => {
  await web.close();
  await world.close();
});

async function pollUntilFinished(jobId: string): Promise<ImportJob[]> {
  const seen: ImportJob[] = [];
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const response = await web.app.inject({ method: 'GET', url: `/api/v1/imports/jobs/${jobId}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    const job = response.json<ImportJob>();
    seen.push(job);
    if (job.state !== 'running') return seen;
    await sleep(20);
  }
  throw new Error(`import job ${jobId} did not finish`);
}

describe('import jobs', () => {
  it('imports in the background and reports rows checked, rows written and the result', async () => {
    const body = multipartBody({}, { filename: 'items.csv', contentType: 'text/csv', bytes: Buffer.from(csv) });
    const preview = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/preview`,
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
    assert.equal(preview.statusCode, 200, preview.body);
    const { sha256 } = preview.json<{ sha256: string }>();
    const started = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/jobs`,
      headers: { cookie },
      payload: { sha256 },
    });
    assert.equal(started.statusCode, 202, started.body);
    const job = started.json<ImportJob>();
    assert.equal(job.state, 'running');

    const other = await web.app.inject({
      method: 'GET',
      url: `/api/v1/imports/jobs/${job.id}`,
      headers: { cookie: await world.cookieFor('colleague') },
    });
    assert.equal(other.statusCode, 404, 'another user cannot see the job');

    const seen = await pollUntilFinished(job.id);
    const last = seen[seen.length - 1]!;
    assert.equal(last.state, 'done', JSON.stringify(last.problem));
    assert.equal(last.result?.items_created, 30);
    assert.equal(last.phase, 'analyse');
    const items = await world.db
      .selectFrom('items')
      .select('id')
      .where('investigation_id', '=', world.investigationId)
      .execute();
    assert.equal(items.length, 30);
  });

  it('refuses an unknown upload before starting a job', async () => {
    const started = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/jobs`,
      headers: { cookie },
      payload: { sha256: 'f'.repeat(64) },
    });
    assert.equal(started.statusCode, 404, started.body);
  });
});

describe('import job registry', () => {
  it('records progress, the problem of a failure, and forgets finished jobs after an hour', async () => {
    let clock = new Date('2026-01-01T10:00:00Z');
    const registry = createImportJobRegistry(() => clock);
    const owner = {
      userId: '0190aaaa-0000-7000-8000-000000000001',
      investigationId: '0190aaaa-0000-7000-8000-000000000002',
    };
    let finish: (() => void) | undefined;
    const job = registry.start(owner, async (onProgress) => {
      onProgress('validate', 10, undefined);
      onProgress('load', 4, 10);
      await new Promise<void>((resolve) => (finish = resolve));
      throw new Error('disk full');
    });
    await sleep(0);
    assert.deepEqual(
      (({ state, phase, done, total }) => ({ state, phase, done, total }))(registry.get(job.id, owner.userId)!),
      { state: 'running', phase: 'load', done: 4, total: 10 },
    );
    assert.equal(registry.get(job.id, 'someone else'), undefined);
    finish?.();
    await sleep(0);
    await sleep(0);
    const failed = registry.get(job.id, owner.userId)!;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.problem?.code, 'internal');
    clock = new Date('2026-01-01T11:00:01Z');
    registry.start(owner, () => new Promise(() => undefined));
    assert.equal(registry.get(job.id, owner.userId), undefined);
  });
});
