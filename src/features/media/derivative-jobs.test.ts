// Media derivatives as jobs (issue 16, item 3): an upload stores the original and its record; a `media.derivatives`
// job (the deployment's queue: pg-boss on PostgreSQL, in-process on the embedded database) makes the thumbnail,
// the preview and the perceptual hash from the original in the evidence store. An image the decoder rejects ends
// `failed` with a problem, its original and record untouched; the same file queued twice is made once. The periodic
// sweep (a job of the instance's own, once per interval across servers) queues a file left pending with no job.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueuePeriodicIfDue } from '../../jobs/periodic.js';
import { runJobsUntilIdle } from '../../testing/jobs.js';
import { createMediaTestApp, makePhoto, uploadMedia, type MediaTestApp } from '../../testing/media.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { verifyAudit } from '../audit/service.js';
import {
  MEDIA_DERIVATIVES_JOB,
  MEDIA_DERIVATIVES_SWEEP_JOB,
  derivativesSweep,
  queueDerivatives,
} from './derivative-jobs.js';
import type { MediaWithLinks, UploadedMedia } from './schema.js';

describe('media derivatives as jobs', () => {
  let world: TestWorld;
  let media: MediaTestApp;
  let cookie: string;

  before(async () => {
    world = await createTestWorld();
    media = await createMediaTestApp(world, { ARMTRACE_JOB_RETRY_DELAY_SECONDS: '0' }, { pgBossJobs: true });
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await media.close();
    await world.close();
  });

  const upload = (bytes: Buffer, filename: string, contentType: string): Promise<UploadedMedia> =>
    uploadMedia(media.app, cookie, world.investigationId, { bytes, filename, contentType });

  async function read(id: string): Promise<MediaWithLinks> {
    const response = await media.app.inject({ method: 'GET', url: `/api/v1/media/${id}`, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<MediaWithLinks>();
  }

  async function jobsOf(sha256: string) {
    return world.db
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', MEDIA_DERIVATIVES_JOB)
      .where('singleton_key', '=', sha256)
      .execute();
  }

  // First, while no queue works yet (pg-boss, once started, keeps working until the app closes).
  it('the same file queued twice (two uploads, a second enqueue) is made once', async () => {
    const bytes = await makePhoto(43, { width: 800, height: 600 });
    const [first, second] = await Promise.all([
      upload(bytes, 'a.jpg', 'image/jpeg'),
      upload(bytes, 'b.jpg', 'image/jpeg'),
    ]);
    assert.equal(first.sha256, second.sha256);
    await queueDerivatives(media.jobs)([{ sha256: first.sha256, investigationId: world.investigationId }], world.owner);
    const queued = await jobsOf(first.sha256);
    assert.equal(queued.length, 1, JSON.stringify(queued));
    await media.runJobs();
    const jobs = await jobsOf(first.sha256);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]!.state, 'succeeded');
    assert.equal(jobs[0]!.attempts, 1);
    const [a, b] = [await read(first.id), await read(second.id)];
    assert.equal(a.derivatives.state, 'ready');
    assert.equal(b.derivatives.state, 'ready');
    assert.match(a.perceptual_hash ?? '', /^[0-9a-f]{16}$/);
    assert.equal(b.perceptual_hash, a.perceptual_hash);
  });

  it('upload → job → thumbnail, preview and perceptual hash ready; the hash audited, verify still holds', async () => {
    const photo = await upload(await makePhoto(41, { width: 1200, height: 900 }), 'IMG_2041.JPG', 'image/jpeg');
    // pg-boss, started by the test above, may have made them already.
    assert.ok(['pending', 'ready'].includes(photo.derivatives.state), photo.derivatives.state);
    await media.runJobs();

    const ready = await read(photo.id);
    assert.deepEqual(ready.derivatives, { state: 'ready', problem: null });
    assert.match(ready.perceptual_hash ?? '', /^[0-9a-f]{16}$/);
    // Not a new version: the hash is a fact of the bytes, not an edit (an open edit form stays current).
    assert.equal(ready.version, photo.version);
    const [job] = await jobsOf(photo.sha256);
    assert.equal(job?.state, 'succeeded');
    assert.equal(job.investigation_id, world.investigationId);
    for (const kind of ['thumbnail', 'preview']) {
      assert.ok(await media.store.getDerivative(photo.sha256, `${kind}.webp`), `${kind} kept beside the original`);
      const response = await media.app.inject({
        method: 'GET',
        url: `/api/v1/media/${photo.id}/${kind}`,
        headers: { cookie },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['content-type'], 'image/webp');
    }
    const audit = await world.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', photo.id)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      audit.map((entry) => entry.action),
      ['media.create', 'media.perceptual_hash'],
    );
    assert.equal(audit[1]!.actor_label, 'owner');
    const verified = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.equal(verified.ok, true, JSON.stringify(verified.problems));
  });

  it('an image the decoder rejects ends failed with a problem; its original and record stay as they were', async () => {
    const whole = await makePhoto(42, { width: 640, height: 480 });
    const broken = await upload(whole.subarray(0, 700), 'broken.jpg', 'image/jpeg');
    const before = await world.db.selectFrom('media').selectAll().where('id', '=', broken.id).executeTakeFirstOrThrow();
    await media.runJobs();

    const failed = await read(broken.id);
    assert.equal(failed.derivatives.state, 'failed');
    assert.equal(failed.derivatives.problem?.code, 'image_not_decodable');
    const [job] = await jobsOf(broken.sha256);
    assert.equal(job?.state, 'failed');
    assert.equal(job.problem_code, 'image_not_decodable');
    // A refusal, not retried.
    assert.equal(job.attempts, 1);
    const afterRow = await world.db
      .selectFrom('media')
      .selectAll()
      .where('id', '=', broken.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(afterRow, before);
    const original = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${broken.id}/original`,
      headers: { cookie },
    });
    assert.equal(original.statusCode, 200);
    assert.deepEqual(original.rawPayload, whole.subarray(0, 700));
    const thumbnail = await media.app.inject({
      method: 'GET',
      url: `/api/v1/media/${broken.id}/thumbnail`,
      headers: { cookie },
    });
    assert.equal(thumbnail.statusCode, 404);
    assert.equal(thumbnail.json().code, 'not_found');
    assert.match(thumbnail.json().detail, /could not be decoded/);
    const verified = await verifyAudit(world.db, undefined, { checkStoredFiles: media.storedFilesCheck });
    assert.equal(verified.ok, true, JSON.stringify(verified.problems));
  });

  it('the periodic sweep queues derivatives left pending with no job; a ready file and a recent one stay', async () => {
    const [left, ready, recent] = [
      await upload(await makePhoto(44, { width: 640, height: 480 }), 'left.jpg', 'image/jpeg'),
      await upload(await makePhoto(45, { width: 640, height: 480 }), 'ready.jpg', 'image/jpeg'),
      await upload(await makePhoto(46, { width: 640, height: 480 }), 'recent.jpg', 'image/jpeg'),
    ];
    await runJobsUntilIdle(world.db, media.jobs);
    // Left pending for ten minutes with no job (a server stopped between the upload's commit and its enqueue);
    // another pending for a moment only (its upload may be about to queue its own job).
    await world.db
      .updateTable('media_derivatives')
      .set({ state: 'pending', updated_at: new Date(Date.now() - 600_000) })
      .where('sha256', '=', left.sha256)
      .execute();
    await world.db
      .updateTable('media_derivatives')
      .set({ state: 'pending', updated_at: new Date() })
      .where('sha256', '=', recent.sha256)
      .execute();

    const sweep = await enqueuePeriodicIfDue(world.db, media.jobs, derivativesSweep());
    assert.ok(sweep !== undefined);
    // Asked again within the interval (by this server or another): not queued twice.
    assert.equal(await enqueuePeriodicIfDue(world.db, media.jobs, derivativesSweep()), undefined);
    await runJobsUntilIdle(world.db, media.jobs);

    const sweepJob = await world.db.selectFrom('jobs').selectAll().where('id', '=', sweep).executeTakeFirstOrThrow();
    assert.equal(sweepJob.name, MEDIA_DERIVATIVES_SWEEP_JOB);
    assert.equal(sweepJob.state, 'succeeded', String(sweepJob.problem_detail));
    assert.equal(sweepJob.created_by, null);
    assert.equal(sweepJob.progress_done, 1);
    const leftJobs = await jobsOf(left.sha256);
    assert.equal(leftJobs.length, 2, 'the upload’s job and the sweep’s');
    assert.ok(leftJobs.every((job) => job.state === 'succeeded'));
    assert.ok(
      leftJobs.every((job) => job.created_by === world.owner.userId),
      'run as who uploaded it',
    );
    assert.equal((await read(left.id)).derivatives.state, 'ready');
    assert.equal((await jobsOf(ready.sha256)).length, 1, 'a ready file is left alone');
    assert.equal((await read(ready.id)).derivatives.state, 'ready');
    assert.equal((await jobsOf(recent.sha256)).length, 1, 'a file pending for a moment is left alone');
    assert.equal((await read(recent.id)).derivatives.state, 'pending');
  });
});
