import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkVerifier,
  deriveKeys,
  makeVerifier,
  newSalt,
  open,
  opaqueName,
  pbkdf2Iterations,
  seal,
  sha256Hex,
  WrongPassphraseError,
} from './crypto';

describe('offline store encryption', () => {
  it('seals a record so its text is not in the ciphertext, and opens it again', async () => {
    const keys = await deriveKeys('field team passphrase', newSalt());
    const record = { name: 'Cache north of the bridge', marking: 'ЗВ 12-81' };
    const sealed = await seal(keys, record);
    const stored = new TextDecoder('utf-8', { fatal: false }).decode(sealed.data);
    assert.ok(!stored.includes('bridge') && !stored.includes('12-81'));
    assert.deepEqual(await open(keys, sealed), record);
  });

  it('uses a fresh IV for every record', async () => {
    const keys = await deriveKeys('field team passphrase', newSalt());
    const first = await seal(keys, 'same');
    const second = await seal(keys, 'same');
    assert.notDeepEqual(first.iv, second.iv);
    assert.notDeepEqual(new Uint8Array(first.data), new Uint8Array(second.data));
  });

  it('detects a wrong passphrase through the verifier', async () => {
    const salt = newSalt();
    const verifier = await makeVerifier(await deriveKeys('right one', salt));
    await checkVerifier(await deriveKeys('right one', salt), verifier);
    await assert.rejects(checkVerifier(await deriveKeys('wrong one', salt), verifier), WrongPassphraseError);
  });

  it('refuses fewer than 310,000 PBKDF2 iterations', async () => {
    assert.equal(pbkdf2Iterations, 310_000);
    await assert.rejects(deriveKeys('x', newSalt(), 1000), /at least/);
  });

  it('names cache addresses opaquely and stably per passphrase', async () => {
    const salt = newSalt();
    const keys = await deriveKeys('one', salt);
    const name = await opaqueName(keys, '/api/v1/sites/abc?q=secret');
    assert.equal(name, await opaqueName(await deriveKeys('one', salt), '/api/v1/sites/abc?q=secret'));
    assert.notEqual(name, await opaqueName(await deriveKeys('two', salt), '/api/v1/sites/abc?q=secret'));
    assert.match(name, /^[0-9a-f]{64}$/);
  });

  it('computes SHA-256 as hex', async () => {
    assert.equal(
      await sha256Hex(new TextEncoder().encode('abc')),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
