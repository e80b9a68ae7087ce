// Database-independent: the script always builds the example on its own in-memory embedded database (it clears
// DATABASE_URL), so both passes compare the same bytes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

const committed = path.resolve('docs/examples/public');
const fix = 'npm run examples:public';

function listFiles(root: string, under = ''): string[] {
  const folder = path.join(root, under);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(root, path.join(under, entry.name))
        : [path.join(under, entry.name).split(path.sep).join('/')],
    )
    .sort();
}

describe('docs/examples/public (the example investigation, public profile)', () => {
  let fresh: string;
  before(async () => {
    fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-public-examples-'));
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/examples-public.ts', '--out', fresh], {
      env: { ...process.env, DATABASE_URL: '' },
      maxBuffer: 16 * 1024 * 1024,
    });
  });
  after(() => fs.rmSync(fresh, { recursive: true, force: true }));

  it('is what the script writes now, file by file', () => {
    for (const lang of ['en', 'ar']) {
      const expected = listFiles(fresh, lang);
      const actual = listFiles(committed, lang);
      assert.ok(expected.includes(`${lang}/index.html`), `the script wrote no ${lang}/index.html`);
      for (const name of expected) {
        assert.ok(actual.includes(name), `docs/examples/public/${name} is missing: run \`${fix}\` and commit it`);
        const same = fs.readFileSync(path.join(fresh, name)).equals(fs.readFileSync(path.join(committed, name)));
        assert.ok(same, `docs/examples/public/${name} differs from what the script writes now: run \`${fix}\``);
      }
      for (const name of actual) {
        assert.ok(expected.includes(name), `docs/examples/public/${name} is no longer written: run \`${fix}\``);
      }
    }
  });

  it('carries only the public profile: published public records, points on the grid', async () => {
    const { isGridCentre } = await import('../../src/features/export/grid.js');
    const document = JSON.parse(fs.readFileSync(path.join(committed, 'en/data/investigation.json'), 'utf8')) as {
      profile: { name: string };
      exported_by: unknown;
      members: unknown[];
      records: Record<string, Record<string, unknown>[]>;
    };
    assert.equal(document.profile.name, 'public');
    assert.equal(document.exported_by, null);
    assert.deepEqual(document.members, []);
    assert.deepEqual(
      document.records.sites!.map((site) => site.external_ref),
      ['MSL-W1'],
    );
    assert.ok(document.records.items!.length > 0);
    for (const rows of Object.values(document.records)) {
      for (const row of rows) {
        if ('review_state' in row) assert.equal(row.review_state, 'published');
        if ('sensitivity' in row) assert.equal(row.sensitivity, 'public');
        for (const column of ['created_by', 'recovered_by', 'notes', 'precision_m'])
          assert.ok(!(column in row), column);
      }
    }
    for (const site of document.records.sites!) {
      assert.ok(isGridCentre(site.latitude as number, site.longitude as number, 10));
    }
  });
});
