import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { makePhoto } from '../../testing/media.js';
import type { FormsImportResult } from './schema.js';
import { formIdFor } from './schema.js';
import { csvOf, odkCentralMainCsv, zipOf } from '../../testing/forms-fixtures.js';

describe('forms commands: xlsform and import', () => {
  let dataDir: string;
  let cli: CliSandbox;
  const armtrace = (...args: string[]) => cli.run(...args);

  before(async () => {
    cli = await createCliSandbox('armtrace-forms-cli-');
    dataDir = cli.root;
  });
  after(async () => {
    await cli.close();
  });

  it('writes the form, then imports an ODK Central export once, a dry run first', async () => {
    succeeded(await armtrace('init'));
    const investigation = JSON.parse(
      succeeded(await armtrace('investigation', 'add', '--title', 'Depot survey', '--json')),
    ) as { id: string };
    const formFile = path.join(dataDir, 'form.xlsx');
    succeeded(await armtrace('forms', 'xlsform', '--investigation', investigation.id, formFile, '--form-version', '5'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(formFile);
    assert.equal(workbook.getWorksheet('settings')!.getRow(2).getCell(2).value, formIdFor(investigation.id));

    const formId = formIdFor(investigation.id);
    const instance = 'uuid:3e1f0c55-8a61-4c1b-9d0e-7a2b4c6d0010';
    const photo = await makePhoto(41, { width: 320, height: 240 });
    const exportFile = path.join(dataDir, `${formId}.zip`);
    fs.writeFileSync(
      exportFile,
      zipOf([
        {
          name: `${formId}.csv`,
          bytes: Buffer.from(
            odkCentralMainCsv([
              {
                instanceId: instance,
                submitter: 'team-east',
                version: '5',
                answers: {
                  start: '2026-11-25T09:00:00.000+01:00',
                  end: '2026-11-25T09:30:00.000+01:00',
                  site: 'new_site',
                  new_site_name: 'Quarry',
                  new_site_type: 'storage_depot',
                  'location-Latitude': '48.85',
                  'location-Longitude': '2.35',
                  'location-Altitude': '35',
                  'location-Accuracy': '6.5',
                  category: 'artillery_projectile',
                  quantity: '4',
                },
              },
            ]),
          ),
        },
        {
          name: `${formId}-photos.csv`,
          bytes: Buffer.from(
            csvOf([
              ['photo', 'PARENT_KEY', 'KEY'],
              ['1764059400000.jpg', instance, `${instance}/photos[1]`],
            ]),
          ),
        },
        { name: 'media/1764059400000.jpg', bytes: photo },
      ]),
    );
    const dry = JSON.parse(
      succeeded(
        await armtrace('forms', 'import', '--investigation', investigation.id, exportFile, '--dry-run', '--json'),
      ),
    ) as FormsImportResult;
    assert.deepEqual([dry.dry_run, dry.items_created, dry.sites_created], [true, 1, 1]);
    const result = JSON.parse(
      succeeded(await armtrace('forms', 'import', '--investigation', investigation.id, exportFile, '--json')),
    ) as FormsImportResult;
    assert.deepEqual([result.items_created, result.media_created], [1, 1]);
    assert.equal(result.created[0]!.media[0]!.sha256, createHash('sha256').update(photo).digest('hex'));
    const again = succeeded(await armtrace('forms', 'import', '--investigation', investigation.id, exportFile));
    assert.match(again, /Nothing new: every submission in the file \(1\) was imported before/);
    const verify = await armtrace('verify');
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});
