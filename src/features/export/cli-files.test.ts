import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';

const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const bin = path.join(repoRoot, 'bin', 'armtrace.mjs');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('armtrace export items|markings|sites|hazards', () => {
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: NodeJS.ProcessEnv;
  let investigationId: string;

  /** Runs the real CLI in a child process, as a user would. */
  function armtrace(...args: string[]): Promise<CliResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-export-cli-'));
    env = { ...process.env, ARMTRACE_DATA: path.join(dataDir, 'data'), ARMTRACE_LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
      database = await createTestDatabase({ migrated: false });
      env.DATABASE_URL = database.url;
    }
    const loaded = succeeded(await armtrace('demo'));
    investigationId = /as investigation ([0-9a-f-]{36})/.exec(loaded)![1]!;
  });
  after(async () => {
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes sites as KML that ogr2ogr reads, with a JSON summary', async () => {
    const out = path.join(dataDir, 'sites.kml');
    const summary = JSON.parse(
      succeeded(await armtrace('export', 'sites', out, '--investigation', investigationId, '--lang', 'ar', '--json')),
    ) as Record<string, unknown>;
    assert.deepEqual(summary, { file: out, format: 'kml', rows: 4, left_out_without_point: 0 });
    assert.ok(!fs.existsSync(`${out}.partial`));
    const converted = path.join(dataDir, 'sites.from-kml.json');
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', converted, out]);
    const read = JSON.parse(fs.readFileSync(converted, 'utf8')) as { features: unknown[] };
    assert.equal(read.features.length, 4);
  });

  it('streams to stdout with -, the summary on stderr', async () => {
    const result = await armtrace('export', 'hazards', '-', '--investigation', investigationId, '--format', 'geojson');
    const collection = JSON.parse(succeeded(result)) as { type: string; features: unknown[] };
    assert.equal(collection.type, 'FeatureCollection');
    assert.equal(collection.features.length, 2);
    assert.match(result.stderr, /Wrote 2 hazards rows as geojson to stdout; 0 left out/);
  });

  it('writes the hazard list as CSV and says what it wrote; refuses a format the table has not', async () => {
    const out = path.join(dataDir, 'hazards.csv');
    const result = await armtrace('export', 'hazards', out, '--investigation', investigationId, '--lang', 'fr');
    succeeded(result);
    assert.match(result.stderr, /Wrote 2 hazards rows as csv/);
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.startsWith('\uFEFFitem_id,'));
    assert.match(text, /Obus de mortier|Projectile d’artillerie|Roquette/);
    const refused = await armtrace(
      'export',
      'hazards',
      path.join(dataDir, 'h.kml'),
      '--investigation',
      investigationId,
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /hazards can be written as csv, geojson, not "kml"/);
  });
});
