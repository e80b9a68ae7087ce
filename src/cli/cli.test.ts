import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createCliSandbox, succeeded, type CliSandbox } from '../testing/cli.js';

interface InvestigationJson {
  id: string;
  title: string;
  version: number;
}

describe('armtrace CLI', () => {
  let dataDir: string;
  let cli: CliSandbox;
  const armtrace = (...args: string[]) => cli.run(...args);

  before(async () => {
    cli = await createCliSandbox('armtrace-cli-');
    dataDir = cli.root;
  });
  after(async () => {
    await cli.close();
  });

  it('prints help and exits 0', async () => {
    const result = await armtrace('--help');
    assert.equal(result.code, 0);
    assert.match(result.stdout, /Usage: armtrace/);
    assert.match(result.stdout, /investigation/);
  });

  let investigationId: string;

  it('init creates the database and prints the one-time administrator password', async () => {
    const result = await armtrace('init');
    succeeded(result);
    assert.match(result.stderr, /Created the administrator "admin" with the one-time password:\n\n\s+\S{12,}\n/);
    assert.match(result.stdout, /^Ready: /);
  });

  it('adds, lists and shows an investigation as JSON', async () => {
    const created = JSON.parse(
      succeeded(await armtrace('investigation', 'add', '--title', 'Depot survey', '--json')),
    ) as InvestigationJson;
    assert.equal(created.title, 'Depot survey');
    assert.equal(created.version, 1);
    investigationId = created.id;

    const listed = JSON.parse(succeeded(await armtrace('investigation', 'list', '--json'))) as {
      items: InvestigationJson[];
    };
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [investigationId],
    );

    const shown = JSON.parse(succeeded(await armtrace('investigation', 'show', investigationId, '--json'))) as {
      id: string;
      members: { username: string; role: string }[];
    };
    assert.equal(shown.id, investigationId);
    assert.deepEqual(
      shown.members.map((member) => [member.username, member.role]),
      [['admin', 'owner']],
    );
  });

  it('exits 2 on a usage error and 1 on a failure', async () => {
    const usage = await armtrace('investigation', 'list', '--no-such-option');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown option '--no-such-option'/);

    const missing = await armtrace('investigation', 'show', uuidv7());
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /error \[not_found\]/);
  });

  it('checks the role of the user named by --as', async () => {
    succeeded(await armtrace('user', 'add', 'bob', '--password', 'a long enough passphrase'));
    const asBob = await armtrace('--as', 'bob', 'investigation', 'show', investigationId);
    assert.equal(asBob.code, 1);
    assert.match(asBob.stderr, /error \[not_found\]/);
  });

  it('reads site coordinates and precision as typed, and refuses what it cannot read with the field and code', async () => {
    const typed = JSON.parse(
      succeeded(
        await armtrace(
          'site',
          'add',
          '--investigation',
          investigationId,
          '--name',
          'Orchard',
          '--type',
          'cache',
          '--lat',
          `36°21'04"N`,
          '--lon',
          `43°10'44"E`,
          '--precision',
          '٢٥',
          '--json',
        ),
      ),
    ) as { id: string; latitude: number; longitude: number; precision_m: number; version: number };
    assert.deepEqual(
      [typed.latitude, typed.longitude, typed.precision_m],
      [36 + 21 / 60 + 4 / 3600, 43 + 10 / 60 + 44 / 3600, 25],
    );

    const pasted = JSON.parse(
      succeeded(
        await armtrace(
          'site',
          'add',
          '--investigation',
          investigationId,
          '--name',
          'Mill',
          '--type',
          'cache',
          '--location',
          '٣٦٫٣٤١٢، ٤٣٫١٧٨٩',
          '--json',
        ),
      ),
    ) as { latitude: number; longitude: number };
    assert.deepEqual([pasted.latitude, pasted.longitude], [36.3412, 43.1789]);

    const corrected = JSON.parse(
      succeeded(
        await armtrace('site', 'update', typed.id, '--version', '1', '--location', '36,3399 43,1789', '--json'),
      ),
    ) as { latitude: number; longitude: number; precision_m: number; version: number };
    assert.deepEqual([corrected.latitude, corrected.longitude, corrected.precision_m], [36.3399, 43.1789, 25]);

    const refusals: [string[], RegExp][] = [
      [['--lat', `43°10'44"E`, '--lon', '43.1'], /latitude: names a hemisphere of the other axis/],
      [['--location', '36,34,43,17'], /location: can be read in more than one way/],
      [['--lat', '36.1', '--lon', '43.1', '--precision', '1,500'], /precision_m: could be thousands or decimals/],
      [['--precision', '25'], /precision_m: a precision needs a location/],
    ];
    for (const [args, message] of refusals) {
      const refused = await armtrace(
        'site',
        'add',
        '--investigation',
        investigationId,
        '--name',
        'Refused',
        '--type',
        'cache',
        ...args,
      );
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /error \[validation_failed\]/);
      assert.match(refused.stderr, message);
    }
    const listed = JSON.parse(
      succeeded(await armtrace('site', 'list', '--investigation', investigationId, '--json')),
    ) as {
      items: { name: string }[];
    };
    assert.deepEqual(
      listed.items.map((site) => site.name),
      ['Orchard', 'Mill'],
      'nothing refused was stored',
    );
  });

  it('reads an item quantity in any script and refuses one it cannot read', async () => {
    const site = JSON.parse(
      succeeded(
        await armtrace(
          'site',
          'add',
          '--investigation',
          investigationId,
          '--name',
          'Store',
          '--type',
          'cache',
          '--json',
        ),
      ),
    ) as { id: string };
    const add = (quantity: string) =>
      armtrace(
        'item',
        'add',
        '--investigation',
        investigationId,
        '--site',
        site.id,
        '--category',
        'cartridges',
        '--quantity',
        quantity,
        '--json',
      );
    for (const [typed, quantity] of [
      ['٤٠', 40],
      ['۱۲', 12],
      ['१२', 12],
      ['６', 6],
    ] as const) {
      const item = JSON.parse(succeeded(await add(typed))) as { quantity: number };
      assert.equal(item.quantity, quantity, typed);
    }
    for (const [typed, message] of [
      ['2,5', /quantity: "2,5" is not a whole number/],
      ['1,500', /quantity: "1,500" could be thousands or decimals/],
      ['٠', /quantity/],
    ] as const) {
      const refused = await add(typed);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, message);
    }
  });

  it('imports a semicolon CSV with --map, checks it with --dry-run, saves the mapping and reuses it by name', async () => {
    const csv = path.join(dataDir, 'inventaire.csv');
    fs.writeFileSync(
      csv,
      'Code;Nom du site;Type de site;Objet;Catégorie;Notes\nCL-1;Grange;Dépôt;CL-I1;Obus de mortier;vu\n',
    );
    const map = path.join(dataDir, 'map.json');
    fs.writeFileSync(map, JSON.stringify({ Code: 'site_ref', Notes: null }));
    const unmapped = await armtrace('import', 'items', csv, '--investigation', investigationId, '--dry-run');
    assert.equal(unmapped.code, 1);
    assert.match(unmapped.stdout, /line 1 \(Code\): unknown column/);
    const dry = succeeded(
      await armtrace(
        'import',
        'items',
        csv,
        '--investigation',
        investigationId,
        '--map',
        map,
        '--dry-run',
        '--save-mapping',
        'granges',
      ),
    );
    assert.match(dry, /Code → site_ref \(mapping\)/);
    assert.match(dry, /Catégorie → category \(recognised\)/);
    assert.match(dry, /Would import: 0 markings on 1 items at 1 new and 0 existing sites .*Nothing was written/);
    const saved = JSON.parse(
      succeeded(await armtrace('import', 'mapping', 'list', '--investigation', investigationId)),
    ) as {
      name: string;
      mapping: Record<string, string | null>;
    }[];
    assert.deepEqual(
      saved.map((entry) => [entry.name, entry.mapping.Code, entry.mapping.Notes, entry.mapping['Catégorie']]),
      [['granges', 'site_ref', null, 'category']],
    );
    const imported = JSON.parse(
      succeeded(
        await armtrace('import', 'items', csv, '--investigation', investigationId, '--mapping', 'granges', '--json'),
      ),
    ) as { items_created: number; sites_created: number };
    assert.equal(imported.items_created, 1);
    assert.equal(imported.sites_created, 1);
  });

  it('verify exits 0 on a clean database', async () => {
    const result = await armtrace('verify');
    assert.match(succeeded(result), /^OK: \d+ audit entries chain correctly/);
  });
});
