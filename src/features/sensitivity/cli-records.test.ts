import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import { makePhoto } from '../../testing/media.js';

interface Record {
  id: string;
  version: number;
  sensitivity: string;
  sensitivity_reason: string | null;
}

// `--sensitivity` / `--sensitivity-reason` on item, marking, media and provenance commands: the same levels,
// validation and messages as `site add|update`.
describe('armtrace item|marking|media|provenance --sensitivity', () => {
  let cli: CliSandbox;
  let investigationId: string;
  let siteId: string;

  const json = async (...args: string[]): Promise<Record> =>
    JSON.parse(succeeded(await cli.run(...args, '--json'))) as Record;

  before(async () => {
    cli = await createCliSandbox('armtrace-sensitivity-cli-');
    investigationId = (await json('investigation', 'add', '--title', 'CLI sensitivity')).id;
    siteId = (await json('site', 'add', '--investigation', investigationId, '--name', 'Yard', '--type', 'cache')).id;
  });
  after(async () => {
    await cli.close();
  });

  it('adds an item and a marking with a level, refuses restricted without a reason, and changes the level', async () => {
    const item = await json(
      'item',
      'add',
      '--investigation',
      investigationId,
      '--site',
      siteId,
      '--category',
      'small_arm',
      '--sensitivity',
      'partners',
    );
    assert.deepEqual([item.sensitivity, item.sensitivity_reason], ['partners', null]);

    const noReason = await cli.run('item', 'update', item.id, '--version', '1', '--sensitivity', 'restricted');
    assert.equal(noReason.code, 2, noReason.stderr);
    assert.match(noReason.stderr, /validation_failed/);
    assert.match(noReason.stderr, /sensitivity_reason/);
    const badLevel = await cli.run('item', 'update', item.id, '--version', '1', '--sensitivity', 'secret');
    assert.equal(badLevel.code, 2, badLevel.stderr);
    assert.match(badLevel.stderr, /sensitivity/);

    const restricted = await json(
      'item',
      'update',
      item.id,
      '--version',
      '1',
      '--sensitivity',
      'restricted',
      '--sensitivity-reason',
      'Names a witness',
    );
    assert.deepEqual(
      [restricted.version, restricted.sensitivity, restricted.sensitivity_reason],
      [2, 'restricted', 'Names a witness'],
    );

    const marking = await json('marking', 'add', item.id, '--text', 'AB 1234', '--kind', 'serial');
    assert.equal(marking.sensitivity, 'internal', "the investigation's default");
    const noMarkingReason = await cli.run(
      'marking',
      'add',
      item.id,
      '--text',
      'LOT 7',
      '--kind',
      'lot',
      '--sensitivity',
      'restricted',
    );
    assert.equal(noMarkingReason.code, 2, noMarkingReason.stderr);
    assert.match(noMarkingReason.stderr, /sensitivity_reason/);
    const publicMarking = await json('marking', 'update', marking.id, '--version', '1', '--sensitivity', 'public');
    assert.deepEqual([publicMarking.version, publicMarking.sensitivity], [2, 'public']);

    const claim = await json(
      'provenance',
      'add',
      '--investigation',
      investigationId,
      '--item',
      item.id,
      '--event',
      'produced',
      '--confidence',
      'possible',
      '--sensitivity',
      'restricted',
      '--sensitivity-reason',
      'From an informant',
    );
    assert.deepEqual([claim.sensitivity, claim.sensitivity_reason], ['restricted', 'From an informant']);
  });

  it('adds a photo with a level, and refuses restricted without a reason', async () => {
    const photo = path.join(cli.root, 'yard.jpg');
    fs.writeFileSync(photo, await makePhoto(31));
    const refused = await cli.run(
      'media',
      'add',
      photo,
      '--investigation',
      investigationId,
      '--site',
      siteId,
      '--sensitivity',
      'restricted',
    );
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /sensitivity_reason/);
    const added = JSON.parse(
      succeeded(
        await cli.run(
          'media',
          'add',
          photo,
          '--investigation',
          investigationId,
          '--site',
          siteId,
          '--sensitivity',
          'restricted',
          '--sensitivity-reason',
          'Shows a face',
          '--json',
        ),
      ),
    ) as Record[];
    assert.deepEqual([added[0]?.sensitivity, added[0]?.sensitivity_reason], ['restricted', 'Shows a face']);
  });
});
