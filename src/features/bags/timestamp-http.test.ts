import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkToken, loadTrustAnchors } from '../../timestamping/rfc3161.js';
import { startLocalTsa, unreachableTsaUrl, type LocalTsa } from '../../testing/local-tsa.js';
import { createMediaTestApp, type MediaTestApp } from '../../testing/media.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { BAG_TIMESTAMP_FILE } from './timestamp.js';

/** The files of a tar archive (ustar), by their path inside the bag folder. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const text = (start: number, length: number) =>
      block
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = [text(345, 155), text(0, 100)].filter((part) => part !== '').join('/');
    const size = Number.parseInt(text(124, 12), 8);
    files.set(name.slice(name.indexOf('/') + 1), tar.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('the bag over HTTP carries a timestamp token over its tag manifest', () => {
  let world: TestWorld;
  let tsa: LocalTsa;
  let stamped: MediaTestApp;
  let down: MediaTestApp;

  before(async () => {
    world = await createTestWorld();
    tsa = await startLocalTsa();
    stamped = await createMediaTestApp(world, { ARMTRACE_TSA_URL: tsa.url, ARMTRACE_TSA_CA_FILE: tsa.caFile });
    down = await createMediaTestApp(world, { ARMTRACE_TSA_URL: await unreachableTsaUrl() });
  });
  after(async () => {
    await stamped.close();
    await down.close();
    await tsa.close();
    await world.close();
  });

  it('sends the token in the bag, and says when the TSA failed', async () => {
    const cookie = await world.cookieFor('owner');
    const url = `/api/v1/investigations/${world.investigationId}/bag.tar`;
    const response = await stamped.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['x-armtrace-timestamp'], 'token');
    const files = untar(response.rawPayload);
    const token = files.get(BAG_TIMESTAMP_FILE);
    const tagManifest = files.get('tagmanifest-sha256.txt');
    assert.ok(token !== undefined && tagManifest !== undefined);
    const check = await checkToken(token, tagManifest, loadTrustAnchors([tsa.caFile]));
    assert.equal(check.verified, true, check.problem ?? '');

    const failed = await down.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(failed.statusCode, 200, failed.body);
    assert.equal(failed.headers['x-armtrace-timestamp'], 'timestamp_failed');
    assert.equal(untar(failed.rawPayload).has(BAG_TIMESTAMP_FILE), false);
  });
});
