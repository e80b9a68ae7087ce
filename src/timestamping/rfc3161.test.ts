import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TimestampingConfig } from '../config/config.js';
import { DomainError } from '../errors.js';
import { startLocalTsa, unreachableTsaUrl, type LocalTsa } from '../testing/local-tsa.js';
import {
  buildTimestampRequest,
  checkToken,
  loadTrustAnchors,
  parseTimestampResponse,
  readToken,
  requestTimestamp,
} from './rfc3161.js';

describe('RFC 3161 timestamps against a local openssl TSA', () => {
  let tsa: LocalTsa;
  let config: TimestampingConfig;
  before(async () => {
    tsa = await startLocalTsa();
    config = { url: tsa.url, caFiles: [tsa.caFile], timeoutMs: 30_000 };
  });
  after(async () => {
    await tsa.close();
  });

  it('gets a token that verifies against the TSA CA and names the TSA', async () => {
    const fetched = await requestTimestamp(config, '7:abc');
    assert.match(fetched.tsaName, /CN=armtrace test TSA/);
    const check = await checkToken(fetched.token, '7:abc', loadTrustAnchors(config.caFiles));
    assert.equal(check.problem, null);
    assert.equal(check.verified, true);
    assert.equal(check.genTime?.getTime(), fetched.genTime.getTime());
    assert.equal(readToken(fetched.token).imprintSha256, fetched.imprintSha256);
  });

  it('refuses the token for other data, and a token from an untrusted CA', async () => {
    const { token } = await requestTimestamp(config, 'one');
    const other = await checkToken(token, 'two', loadTrustAnchors(config.caFiles));
    assert.equal(other.verified, false);
    assert.equal(other.imprintMismatch, true);
    const untrusted = await checkToken(token, 'one', loadTrustAnchors([tsa.otherCaFile]));
    assert.equal(untrusted.verified, false);
    assert.match(untrusted.problem ?? '', /does not chain to a trusted TSA CA/);
    const noAnchor = await checkToken(token, 'one', []);
    assert.equal(noAnchor.verified, false);
    assert.match(noAnchor.problem ?? '', /no TSA CA certificate is configured/);
  });

  it('refuses a token whose signed content was altered', async () => {
    const { token } = await requestTimestamp(config, 'signed');
    const genTime = readToken(token).genTime.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const at = token.indexOf(Buffer.from(genTime));
    assert.ok(at > 0, 'genTime found in the token');
    const altered = Buffer.from(token);
    altered[at + 3] = altered[at + 3] === 0x31 ? 0x32 : 0x31;
    const check = await checkToken(altered, 'signed', loadTrustAnchors(config.caFiles));
    assert.equal(check.verified, false);
  });

  it('says clearly when the TSA cannot be reached', async () => {
    const url = await unreachableTsaUrl();
    await assert.rejects(
      requestTimestamp({ url, caFiles: [], timeoutMs: 5000 }, 'x'),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'timestamp_failed' && /could not be reached/.test(error.message),
    );
  });

  it('refuses an answer that is not to this request, or not a TimeStampResp', async () => {
    const first = buildTimestampRequest('first');
    const reply = Buffer.from(
      await (
        await fetch(tsa.url, {
          method: 'POST',
          headers: { 'content-type': 'application/timestamp-query' },
          body: first.der,
        })
      ).arrayBuffer(),
    );
    assert.ok(parseTimestampResponse(reply, first, tsa.url).length > 0);
    const second = buildTimestampRequest('second');
    assert.throws(
      () => parseTimestampResponse(reply, second, tsa.url),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'timestamp_failed' && /nonce/.test(error.message),
    );
    assert.throws(
      () => parseTimestampResponse(reply, { ...first, imprintHex: second.imprintHex }, tsa.url),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'timestamp_failed' && /not the requested/.test(error.message),
    );
    assert.throws(
      () => parseTimestampResponse(Buffer.from('<html>busy</html>'), first, tsa.url),
      (error: unknown) =>
        error instanceof DomainError && error.code === 'timestamp_failed' && /not a TimeStampResp/.test(error.message),
    );
  });
});
