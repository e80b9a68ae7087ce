import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';

describe('armtrace export items|markings|sites|hazards', () => {
  let dataDir: string;
  let cli: CliSandbox;
  const armtrace = (...args: string[]) => cli.run(...args);
  let investigationId: string;

  before(async () => {
    cli = await createCliSandbox('armtrace-export-cli-');
    dataDir = cli.root;
    const loaded = succeeded(await armtrace('demo'));
    investigationId = /as investigation ([0-9a-f-]{36})/.exec(loaded)![1]!;
  });
  after(async () => {
    await cli.close();
  });

  it('writes sites as KML that ogr2ogr reads, with a JSON summary', async () => {
    const out = path.join(dataDir, 'sites.kml');
    const summary = JSON.parse(
      succeeded(await armtrace('export', 'sites', out, '--investigation', investigationId, '--lang', 'ar', '--json')),
    ) as Record<string, unknown>;
    assert.deepEqual(summary, { file: out, format: 'kml', profile: 'internal', rows: 4, left_out_without_point: 0 });
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
    assert.match(result.stderr, /Wrote 2 hazards rows as geojson \(profile internal\) to stdout; 0 left out/);
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
