import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DomainError } from '../../errors.js';
import { createTestWorld, type TestWorld } from '../../testing/test-database.js';
import { createCheckpoint, listCheckpoints } from '../audit/checkpoint.js';
import { verifyAudit } from '../audit/service.js';
import { checkpointSigningText } from './checkpoint-signature.js';
import {
  forgetLoadedSigners,
  INSTANCE_KEY_FILE,
  instanceSigner,
  loadInstanceSigner,
  parsePublicKeyPem,
  verifyBytes,
} from './instance-key.js';
import type { InstancePublicKey, TrustedKey } from './schema.js';
import { listTrustedKeys, trustKey, withdrawTrustedKey } from './service.js';

function isProblem(code: string, pattern: RegExp) {
  return (error: unknown) => error instanceof DomainError && error.code === code && pattern.test(error.message);
}

describe('the instance signing key', () => {
  let folder: string;
  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-key-'));
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('is made once with mode 0600, then read back, never replaced', () => {
    const dataDir = path.join(folder, 'fresh');
    const first = loadInstanceSigner({ dataDir, instanceName: 'Field office A' });
    assert.equal(first.created, true);
    const file = path.join(dataDir, INSTANCE_KEY_FILE);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.match(first.signer.public_key_pem, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.match(first.signer.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(parsePublicKeyPem(first.signer.public_key_pem).fingerprint, first.signer.fingerprint);
    const bytes = fs.readFileSync(file);
    forgetLoadedSigners();
    const again = loadInstanceSigner({ dataDir, instanceName: 'Field office A (renamed)' });
    assert.equal(again.created, false);
    assert.equal(again.signer.fingerprint, first.signer.fingerprint);
    assert.equal(again.signer.name, 'Field office A (renamed)');
    assert.deepEqual(fs.readFileSync(file), bytes);
  });

  it('refuses to start with a malformed or unreadable key file, naming it, and leaves it alone', () => {
    const malformed = path.join(folder, 'malformed');
    fs.mkdirSync(malformed);
    const file = path.join(malformed, INSTANCE_KEY_FILE);
    fs.writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
    forgetLoadedSigners();
    assert.throws(
      () => loadInstanceSigner({ dataDir: malformed, instanceName: 'x' }),
      isProblem('instance_key_invalid', new RegExp(`${INSTANCE_KEY_FILE} is not a PEM private key`)),
    );
    assert.match(fs.readFileSync(file, 'utf8'), /not a key/);

    const rsa = path.join(folder, 'rsa');
    fs.mkdirSync(rsa);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    fs.writeFileSync(path.join(rsa, INSTANCE_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    assert.throws(
      () => loadInstanceSigner({ dataDir: rsa, instanceName: 'x' }),
      isProblem('instance_key_invalid', /holds a rsa key, not an Ed25519 key/),
    );

    const unreadable = path.join(folder, 'unreadable');
    fs.mkdirSync(path.join(unreadable, INSTANCE_KEY_FILE), { recursive: true });
    assert.throws(
      () => loadInstanceSigner({ dataDir: unreadable, instanceName: 'x' }),
      isProblem('instance_key_invalid', /cannot be read \(EISDIR\)/),
    );
  });
});

describe('trusted partner keys and signed checkpoints', () => {
  let world: TestWorld;
  let partnerPem: string;
  before(async () => {
    world = await createTestWorld();
    partnerPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  });
  after(() => world.close());

  it('shows the instance public key over the API', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: '/api/v1/instance/public-key',
      headers: { cookie: await world.cookieFor('owner') },
    });
    assert.equal(response.statusCode, 200, response.body);
    const key = response.json<InstancePublicKey>();
    const signer = instanceSigner(world.config);
    assert.deepEqual(key, {
      algorithm: 'ed25519',
      fingerprint: signer.fingerprint,
      name: world.config.instanceName,
      public_key_pem: signer.public_key_pem,
    });
    const anonymous = await world.app.inject({ method: 'GET', url: '/api/v1/instance/public-key' });
    assert.equal(anonymous.statusCode, 401);
  });

  it('trusts a partner key once (administrators; audited), lists it, withdraws it', async () => {
    await assert.rejects(
      trustKey(world.db, world.owner, { public_key_pem: partnerPem, name: 'Partner' }),
      isProblem('forbidden', /./),
    );
    await assert.rejects(
      trustKey(world.db, world.admin, { public_key_pem: 'not a key', name: 'Partner' }),
      isProblem('validation_failed', /not an Ed25519 public key/),
    );
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await assert.rejects(
      trustKey(world.db, world.admin, { public_key_pem: rsaPem, name: 'Partner' }),
      isProblem('validation_failed', /it is a rsa key/),
    );

    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/signing/trusted-keys',
      headers: { cookie: await world.cookieFor('admin') },
      payload: { public_key_pem: partnerPem, name: 'Partner NGO', note: 'fingerprint read out on a call' },
    });
    assert.equal(response.statusCode, 201, response.body);
    const trusted = response.json<TrustedKey>();
    assert.equal(trusted.fingerprint, parsePublicKeyPem(partnerPem).fingerprint);
    await assert.rejects(
      trustKey(world.db, world.admin, { public_key_pem: partnerPem, name: 'Again' }),
      isProblem('already_exists', /already in the list, as "Partner NGO"/),
    );
    const audited = await world.db
      .selectFrom('audit_log')
      .select(['action', 'entity_type'])
      .where('entity_id', '=', trusted.id)
      .execute();
    assert.deepEqual(audited, [{ action: 'signing_key.trust', entity_type: 'trusted_signing_keys' }]);
    assert.deepEqual(
      (await listTrustedKeys(world.db, world.owner)).map((key) => key.name),
      ['Partner NGO'],
    );

    await withdrawTrustedKey(world.db, world.admin, trusted.fingerprint, { reason: 'key rotated' });
    assert.deepEqual(await listTrustedKeys(world.db, world.owner), []);
    const all = await listTrustedKeys(world.db, world.owner, { includeArchived: true });
    assert.equal(all[0]!.archive_reason, 'key rotated');
    assert.deepEqual((await verifyAudit(world.db)).problems, []);
  });

  it('signs each checkpoint; the list shows the signature and verify checks it', async () => {
    const signer = instanceSigner(world.config);
    const response = await world.app.inject({
      method: 'POST',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: await world.cookieFor('admin') },
      payload: { note: 'sent to the panel' },
    });
    assert.equal(response.statusCode, 201, response.body);
    const listed = await world.app.inject({
      method: 'GET',
      url: '/api/v1/audit/checkpoints',
      headers: { cookie: await world.cookieFor('admin') },
    });
    const [checkpoint] = listed.json<{ items: Awaited<ReturnType<typeof listCheckpoints>> }>().items.slice(-1);
    assert.ok(checkpoint?.signature !== null && checkpoint?.signature !== undefined);
    assert.equal(checkpoint.signature.signer_fingerprint, signer.fingerprint);
    assert.equal(checkpoint.signature.signer_name, world.config.instanceName);
    assert.ok(
      verifyBytes(
        signer.publicKey,
        checkpointSigningText({ ...checkpoint, created_at: new Date(checkpoint.created_at) }),
        checkpoint.signature.signature,
      ),
    );
    const verified = await verifyAudit(world.db, undefined, { ownFingerprint: signer.fingerprint });
    assert.deepEqual(verified.problems, []);

    // A checkpoint signed by a key that is neither this instance's nor trusted is named by verify.
    const stranger = loadInstanceSigner({
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-stranger-')),
      instanceName: 'Someone else',
    }).signer;
    const foreign = await createCheckpoint(world.db, world.admin, {}, stranger);
    fs.rmSync(path.dirname(stranger.file), { recursive: true, force: true });
    const flagged = await verifyAudit(world.db, undefined, { ownFingerprint: signer.fingerprint });
    assert.deepEqual(
      flagged.problems.map((problem) => [problem.kind, problem.seq]),
      [['checkpoint_signature', foreign.seq]],
    );
    assert.match(
      flagged.problems[0]!.message,
      new RegExp(`signed by the key ${stranger.fingerprint}, which is neither`),
    );
  });
});
