// An import started as a job of the job queue: answered at once, then polled for its phase and rows done until its
// result (or its problem, with its lines and nothing written); only the user who started it can read it. Progress,
// result and problem live in the `jobs` table and the evidence store, so any server answers (test/scale).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { addMember } from '../investigations/service.js';
import { createMediaTestApp, multipartBody, type MediaTestApp } from '../../testing/media.js';
import type { ImportJob } from './jobs.js';

const header = 'site_ref,site_name,site_type,lat,lon,item_ref,category,quantity,marking_kind,marking_text\n';
const rows = Array.from({ length: 30 }, (_, index) => `S1,Depot,storage_depot,36.34,43.18,J${index},small_arm,1,,\n`);
const csv = `${header}${rows.join('')}`;

let world: TestWorld;
let web: MediaTestApp;
let cookie: string;

before(async () => {
  world = await createTestWorld();
  web = await createMediaTestApp(world, {}, { startFeatureJobs: true });
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

describe('an import job that fails', () => {
  it('reports the problem with its lines, writes nothing, and keeps the upload for a corrected try', async () => {
    const bad = `${header}S1,Depot,storage_depot,36.34,43.18,K1,small_arm,1,,\nS1,,,,,K2,no_such_category,2,,\n`;
    const body = multipartBody({}, { filename: 'bad.csv', contentType: 'text/csv', bytes: Buffer.from(bad) });
    const preview = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/preview`,
      headers: { cookie, ...body.headers },
      payload: body.payload,
    });
    assert.equal(preview.statusCode, 200, preview.body);
    const { sha256 } = preview.json<{ sha256: string }>();
    const before = await world.db.selectFrom('items').select('id').execute();
    const started = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/jobs`,
      headers: { cookie },
      payload: { sha256 },
    });
    assert.equal(started.statusCode, 202, started.body);
    const seen = await pollUntilFinished(started.json<ImportJob>().id);
    const last = seen[seen.length - 1]!;
    assert.equal(last.state, 'failed');
    assert.equal(last.result, null);
    assert.equal(last.problem?.code, 'validation_failed');
    const fields = last.problem.fields ?? [];
    assert.deepEqual(
      fields.map((field) => [field.field, field.code]),
      [['line 3 (category)', 'value_unknown']],
      'the line-numbered problems, as a confirmation without a job answers them',
    );
    assert.equal((await world.db.selectFrom('items').select('id').execute()).length, before.length, 'nothing written');
    // The job is in the jobs table (not in this process's memory), tried once.
    const row = await world.db.selectFrom('jobs').selectAll().where('id', '=', last.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.name, row.state, row.attempts, row.max_attempts], ['import.items', 'failed', 1, 1]);
    // Still kept: the same bytes can be checked again.
    const check = await web.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/imports/items/check`,
      headers: { cookie },
      payload: { sha256 },
    });
    assert.equal(check.statusCode, 200, check.body);
  });
});
