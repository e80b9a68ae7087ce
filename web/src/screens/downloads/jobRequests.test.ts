import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isActive, kindOf, nextPollDelay, requestOf, type Job } from './jobRequests';

function job(name: string, payload: Record<string, unknown> | null, state: Job['state'] = 'queued'): Job {
  return {
    id: '0d5a3c7e-2f1b-4c8e-9a6d-1b2c3d4e5f60',
    name,
    payload,
    investigation_id: null,
    state,
    attempts: 0,
    max_attempts: 3,
    progress: { done: null, total: null, message: null },
    result: null,
    problem: null,
    created_at: '2026-12-06T07:00:00.000Z',
    started_at: null,
    finished_at: null,
  };
}

describe('the jobs of the downloads screen', () => {
  it('asks again after 1 s, then half as long again each time, never more than 10 s apart', () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let turn = 0; turn < 10; turn += 1) delays.push((delay = nextPollDelay(delay)));
    assert.deepEqual(delays.slice(0, 4), [1000, 1500, 2250, 3375]);
    assert.equal(Math.max(...delays), 10_000);
    assert.ok(delays.every((value, index) => index === 0 || value >= delays[index - 1]!));
  });

  it('reads the request a job was started with, to start it again', () => {
    assert.deepEqual(requestOf(job('bag.export', { investigationId: 'x', profile: 'public', gridKm: 25 })), {
      kind: 'bag',
      profile: 'public',
      gridKm: 25,
    });
    assert.deepEqual(requestOf(job('report.pdf', { investigationId: 'x', lang: 'ar' })), {
      kind: 'pdf',
      lang: 'ar',
      asOf: undefined,
    });
    assert.equal(requestOf(job('bag.export', { profile: 'secret' })), undefined);
    assert.equal(requestOf(job('audit.verify', {})), undefined);
    assert.equal(kindOf(job('audit.verify', null)), undefined);
  });

  it('follows waiting, running and retrying jobs only', () => {
    assert.deepEqual(
      (['queued', 'running', 'retrying', 'succeeded', 'failed'] as const).map((state) =>
        isActive(job('x', null, state)),
      ),
      [true, true, true, false, false],
    );
  });
});
