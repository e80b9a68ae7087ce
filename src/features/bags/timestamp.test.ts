import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, type CliResult, type CliSandbox } from '../../testing/cli.js';
import { startLocalTsa, unreachableTsaUrl, type LocalTsa } from '../../testing/local-tsa.js';
import { BAG_SIGNATURE_FILE, BAG_SIGNER_FILE } from '../signing/bag-signature.js';
import { BAG_TIMESTAMP_FILE } from './timestamp.js';

describe('trusted timestamps from the command line: audit checkpoint/checkpoints/timestamp, verify, export bag, verify-bag', () => {
  let cli: CliSandbox;
  let dataDir: string;
  let baseEnv: NodeJS.ProcessEnv;
  let tsa: LocalTsa;
  let unreachable: string;

  /** Runs armtrace with these TSA settings (the sandbox's environment otherwise). */
  function armtrace(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliResult> {
    for (const name of ['ARMTRACE_TSA_URL', 'ARMTRACE_TSA_CA_FILE']) {
      if (env[name] === undefined) delete cli.env[name];
      else cli.env[name] = env[name];
    }
    return cli.run(...args);
  }
  const withTsa = () => ({ ...baseEnv, ARMTRACE_TSA_URL: tsa.url, ARMTRACE_TSA_CA_FILE: tsa.caFile });

  function exited(result: CliResult, code: number): string {
    assert.equal(result.code, code, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  before(async () => {
    tsa = await startLocalTsa();
    unreachable = await unreachableTsaUrl();
    cli = await createCliSandbox('armtrace-tsa-cli-');
    dataDir = cli.root;
    baseEnv = {};
  });
  after(async () => {
    await cli.close();
    await tsa.close();
  });

  it('timestamps checkpoints and bags, verifies them, and refuses a tampered bag or token', async () => {
    exited(await armtrace(baseEnv, 'init'), 0);
    const investigation = JSON.parse(
      exited(await armtrace(baseEnv, 'investigation', 'add', '--title', 'Depot survey', '--json'), 0),
    ) as { id: string };

    // With no TSA configured: no token, and the output says so.
    const plain = exited(await armtrace(baseEnv, 'audit', 'checkpoint'), 0);
    assert.match(plain, /no time-stamping authority is configured/);

    // The TSA down: a clear error, exit 1, and the checkpoint is kept.
    const down = await armtrace({ ...withTsa(), ARMTRACE_TSA_URL: unreachable }, 'audit', 'checkpoint', '--json');
    exited(down, 1);
    assert.match(down.stderr, /timestamp_failed: .*could not be reached/);
    const kept = JSON.parse(down.stdout) as { id: string; seq: number; hash: string };

    const stamped = exited(await armtrace(withTsa(), 'audit', 'checkpoint', '--note', 'annual report'), 0);
    assert.match(stamped, /verified\s+yes/);
    assert.match(stamped, /tsa\s+O=armtrace tests, CN=armtrace test TSA|tsa\s+CN=armtrace test TSA/);

    const retried = exited(await armtrace(withTsa(), 'audit', 'timestamp', '--retry'), 0);
    assert.match(retried, /2 checkpoint\(s\) timestamped/);
    const listed = JSON.parse(exited(await armtrace(withTsa(), 'audit', 'checkpoints', '--json'), 0)) as {
      items: { timestamp: { verified: boolean; timestamped_at: string | null }; signature: unknown }[];
    };
    assert.equal(listed.items.length, 3);
    assert.ok(listed.items.every((entry) => entry.timestamp.verified && entry.timestamp.timestamped_at !== null));
    // Each checkpoint is signed (inside its creation) as well as timestamped (after it).
    assert.ok(listed.items.every((entry) => entry.signature !== null));
    const table = exited(await armtrace(withTsa(), 'audit', 'checkpoints'), 0);
    assert.match(table, /TIMESTAMPED AT\s+TSA\s+VERIFIED\s+SIGNED BY/);

    const verified = exited(await armtrace(withTsa(), 'verify'), 0);
    assert.match(verified, /3 checkpoint timestamp token\(s\) verify/);
    // Without the CA to trust, verify cannot vouch for the tokens.
    const untrusted = await armtrace({ ...withTsa(), ARMTRACE_TSA_CA_FILE: tsa.otherCaFile }, 'verify');
    exited(untrusted, 1);
    assert.match(untrusted.stdout, /FAIL timestamp_invalid: .*does not chain to a trusted TSA CA/);

    // A token handed out with its line checks with plain openssl too.
    const tokenFile = path.join(dataDir, 'checkpoint.tsr');
    exited(await armtrace(withTsa(), 'audit', 'timestamp', '--checkpoint', kept.id, '--out', tokenFile), 0);
    const lineFile = path.join(dataDir, 'line.txt');
    fs.writeFileSync(lineFile, `${kept.seq}:${kept.hash}`);
    const opensslCheck = execFileSync(
      'openssl',
      ['ts', '-verify', '-in', tokenFile, '-token_in', '-data', lineFile, '-CAfile', tsa.caFile],
      { encoding: 'utf8' },
    );
    assert.match(opensslCheck, /Verification: OK/);

    // A bag with a token over its tag manifest.
    const bag = path.join(dataDir, 'bag');
    const exported = exited(await armtrace(withTsa(), 'export', 'bag', bag, '--investigation', investigation.id), 0);
    assert.match(exported, /Timestamped at .* by .*armtrace test TSA/);
    assert.ok(fs.existsSync(path.join(bag, BAG_TIMESTAMP_FILE)));
    // Signed too: the signature, its signer and the token are all over the tag manifest and listed in no manifest.
    assert.match(exported, /Signed by .* \(key [0-9a-f]{64}\): tagmanifest-sha256\.txt\.sig/);
    for (const file of [BAG_SIGNATURE_FILE, BAG_SIGNER_FILE]) assert.ok(fs.existsSync(path.join(bag, file)), file);
    for (const manifest of ['tagmanifest-sha256.txt', 'manifest-sha256.txt']) {
      assert.doesNotMatch(fs.readFileSync(path.join(bag, manifest), 'utf8'), /\.tsr|\.sig|\.signer\.json/);
    }
    const good = exited(await armtrace(withTsa(), 'verify-bag', bag), 0);
    assert.match(good, /verified yes/);
    assert.match(good, /SIGNATURE: valid; signed by .* with this instance’s own key/);
    const noCa = exited(await armtrace(baseEnv, 'verify-bag', bag), 0);
    assert.match(noCa, /verified no.*NOT verified: no TSA CA certificate to trust was given/);
    const withOption = JSON.parse(
      exited(await armtrace(baseEnv, 'verify-bag', bag, '--tsa-ca', tsa.caFile, '--json'), 0),
    ) as { ok: boolean; timestamp: { verified: boolean; tsa_name: string } };
    assert.equal(withOption.timestamp.verified, true);
    exited(await armtrace(baseEnv, 'verify-bag', bag, '--tsa-ca', tsa.otherCaFile), 1);

    // Rewritten consistently (bag-info.txt and the tag manifest), the bag's checksums all hold: the token does not.
    const info = path.join(bag, 'bag-info.txt');
    const alteredInfo = fs.readFileSync(info, 'utf8').replace('Depot survey', 'Depot surveY');
    fs.writeFileSync(info, alteredInfo);
    const tagManifest = path.join(bag, 'tagmanifest-sha256.txt');
    const original = fs.readFileSync(tagManifest);
    fs.writeFileSync(
      tagManifest,
      original
        .toString('utf8')
        .replace(/^[0-9a-f]{64}(?= {2}bag-info\.txt$)/m, createHash('sha256').update(alteredInfo).digest('hex')),
    );
    const tampered = await armtrace(withTsa(), 'verify-bag', bag);
    exited(tampered, 1);
    assert.match(
      tampered.stdout,
      /TIMESTAMP tagmanifest-sha256\.txt\.tsr: .*does not cover this tagmanifest-sha256\.txt/,
    );
    assert.equal(tampered.stdout.match(/^(MISSING|EXTRA|ALTERED|INVALID)/m), null, 'only the token notices');

    // Put the manifest back and break the token instead.
    fs.writeFileSync(tagManifest, original);
    fs.writeFileSync(info, alteredInfo.replace('Depot surveY', 'Depot survey'));
    exited(await armtrace(withTsa(), 'verify-bag', bag), 0);
    const token = fs.readFileSync(path.join(bag, BAG_TIMESTAMP_FILE));
    const broken = Buffer.from(token);
    broken[broken.length - 10] = broken[broken.length - 10]! ^ 0xff;
    fs.writeFileSync(path.join(bag, BAG_TIMESTAMP_FILE), broken);
    const badToken = await armtrace(withTsa(), 'verify-bag', bag);
    exited(badToken, 1);
    assert.match(badToken.stdout, /TIMESTAMP tagmanifest-sha256\.txt\.tsr: /);

    // The TSA down while a bag is written: the bag is there, without a token, and the error is clear.
    const downBag = path.join(dataDir, 'bag-down');
    const failed = await armtrace(
      { ...withTsa(), ARMTRACE_TSA_URL: unreachable },
      'export',
      'bag',
      downBag,
      '--investigation',
      investigation.id,
    );
    exited(failed, 1);
    assert.match(failed.stderr, /timestamp_failed: .*could not be reached/);
    assert.ok(!fs.existsSync(path.join(downBag, BAG_TIMESTAMP_FILE)));
    assert.match(exited(await armtrace(withTsa(), 'verify-bag', downBag), 0), /Timestamp: none/);
  });
});
