import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { armtraceCommand } from '../../testing/cli.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { INSTANCE_KEY_FILE } from './instance-key.js';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One armtrace instance: its own data folder and (with DATABASE_URL) its own database. */
interface Instance {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  database: TestDatabase | undefined;
}

describe('signing from the command line: key show, key trust, verify-bag, import bag', () => {
  let root: string;
  let partner: Instance;
  let home: Instance;

  async function instance(name: string, label: string): Promise<Instance> {
    const dataDir = path.join(root, name);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ARMTRACE_DATA: dataDir,
      ARMTRACE_LOG_LEVEL: 'silent',
      ARMTRACE_INSTANCE_NAME: label,
    };
    delete env.DATABASE_URL;
    let database: TestDatabase | undefined;
    if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
      database = await createTestDatabase({ migrated: false });
      env.DATABASE_URL = database.url;
    }
    return { env, dataDir, database };
  }

  async function armtrace(at: Instance, ...args: string[]): Promise<CliResult> {
    const [command, ...commandArgs] = await armtraceCommand();
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...commandArgs, ...args], {
        cwd: repoRoot,
        env: at.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  function succeeded(result: CliResult): string {
    assert.equal(result.code, 0, `exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    return result.stdout;
  }

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-signing-cli-'));
    partner = await instance('partner', 'Partner field office');
    home = await instance('home', 'Home office');
  });
  after(async () => {
    await partner.database?.close();
    await home.database?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('exports a signed bag on one instance, verifies and imports it on another, once', async () => {
    const init = await armtrace(partner, 'init');
    succeeded(init);
    assert.match(
      init.stderr,
      /Created the instance signing key .*\nSigner "Partner field office", fingerprint [0-9a-f]{64}/,
    );
    assert.match(init.stderr, /-----BEGIN PUBLIC KEY-----/);
    const partnerKey = JSON.parse(succeeded(await armtrace(partner, 'key', 'show', '--json'))) as {
      fingerprint: string;
      public_key_pem: string;
    };
    assert.equal(fs.statSync(path.join(partner.dataDir, INSTANCE_KEY_FILE)).mode & 0o777, 0o600);
    assert.match(
      succeeded(await armtrace(partner, 'key', 'show')),
      new RegExp(`Fingerprint: ${partnerKey.fingerprint}`),
    );

    const demo = succeeded(await armtrace(partner, 'demo'));
    const investigationId = /as investigation ([0-9a-f-]{36})/.exec(demo)![1]!;
    const bag = path.join(root, 'partner.bag');
    assert.match(
      succeeded(await armtrace(partner, 'export', 'bag', '--investigation', investigationId, bag)),
      new RegExp(`Signed by Partner field office \\(key ${partnerKey.fingerprint}\\)`),
    );
    assert.match(
      succeeded(await armtrace(partner, 'verify-bag', bag)),
      /^SIGNATURE: valid; signed by "Partner field office" with this instance’s own key/m,
    );

    succeeded(await armtrace(home, 'init'));
    const untrusted = succeeded(await armtrace(home, 'verify-bag', bag));
    assert.match(untrusted, /^SIGNATURE: valid; .*a key this instance does not trust/m);
    const strict = await armtrace(home, 'verify-bag', '--require-signature', bag);
    assert.equal(strict.code, 1, strict.stdout);

    const keyFile = path.join(root, 'partner.pem');
    fs.writeFileSync(keyFile, partnerKey.public_key_pem);
    succeeded(await armtrace(home, 'key', 'trust', keyFile, '--name', 'Partner NGO'));
    assert.match(
      succeeded(await armtrace(home, 'key', 'list')),
      new RegExp(`${partnerKey.fingerprint}\\s+Partner NGO`),
    );
    assert.match(
      succeeded(await armtrace(home, 'verify-bag', '--require-signature', bag)),
      /^SIGNATURE: valid; .*a trusted partner key \("Partner NGO"\)/m,
    );

    const target = JSON.parse(
      succeeded(await armtrace(home, 'investigation', 'add', '--title', 'Received from partners', '--json')),
    ) as { id: string };
    const first = JSON.parse(
      succeeded(await armtrace(home, 'import', 'bag', bag, '--investigation', target.id, '--json')),
    ) as { already_imported: boolean; created: Record<string, number>; bag_import_id: string };
    assert.equal(first.already_imported, false);
    assert.ok(first.created.items! > 0, JSON.stringify(first));
    const again = succeeded(await armtrace(home, 'import', 'bag', bag, '--investigation', target.id));
    assert.match(
      again,
      new RegExp(`^Already imported: .*\\(import ${first.bag_import_id}\\); nothing was created\\.$`, 'm'),
    );
    const items = JSON.parse(
      succeeded(
        await armtrace(
          home,
          'item',
          'list',
          '--investigation',
          target.id,
          '--json',
          '--include-archived',
          '--limit',
          '200',
        ),
      ),
    ) as { items: unknown[] };
    assert.equal(items.items.length, first.created.items);

    const checkpoint = JSON.parse(succeeded(await armtrace(home, 'audit', 'checkpoint', '--json'))) as {
      signature: { signer_name: string } | null;
    };
    assert.equal(checkpoint.signature?.signer_name, 'Home office');
    assert.match(succeeded(await armtrace(home, 'verify')), /^OK: /m);

    // A damaged key file stops the start, and is left as it is.
    const homeKeyFile = path.join(home.dataDir, INSTANCE_KEY_FILE);
    fs.writeFileSync(homeKeyFile, 'garbage\n');
    const refused = await armtrace(home, 'serve', '--port', '0');
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /error \[instance_key_invalid\]: The instance signing key .*instance-signing-key\.pem is not a PEM private key/,
    );
    assert.equal(fs.readFileSync(homeKeyFile, 'utf8'), 'garbage\n');
  });
});
