import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCliSandbox, succeeded, type CliSandbox } from '../../testing/cli.js';
import type { ReviewQueue, ReviewSettings, ReviewStatus } from './schema.js';

describe('armtrace review', () => {
  let cli: CliSandbox;
  let investigationId: string;
  let siteId: string;

  before(async () => {
    cli = await createCliSandbox('armtrace-review-cli-');
    const created = JSON.parse(succeeded(await cli.run('investigation', 'add', '--title', 'CLI review', '--json')));
    investigationId = (created as { id: string }).id;
    const site = JSON.parse(
      succeeded(
        await cli.run(
          'site',
          'add',
          '--investigation',
          investigationId,
          '--name',
          'Cellar',
          '--type',
          'cache',
          '--json',
        ),
      ),
    );
    siteId = (site as { id: string }).id;
  });
  after(async () => {
    await cli.close();
  });

  it('submits, refuses verifying one’s own record with its code, and lists the queue and the rule as JSON', async () => {
    const shown = JSON.parse(succeeded(await cli.run('review', 'show', 'site', siteId, '--json'))) as ReviewStatus;
    assert.equal(shown.state, 'draft');
    const submitted = JSON.parse(
      succeeded(await cli.run('review', 'submit', 'site', siteId, '--version', '1', '--json')),
    ) as ReviewStatus;
    assert.equal(submitted.state, 'submitted');

    const own = await cli.run('review', 'verify', 'site', siteId, '--version', '1');
    assert.equal(own.code, 1);
    assert.match(own.stderr, /review_own_record/);

    const queue = JSON.parse(succeeded(await cli.run('review', 'queue', investigationId, '--json'))) as ReviewQueue;
    assert.deepEqual(queue, { items: [], next_after: null, can_verify: true }, 'not my own record');
    const rule = JSON.parse(
      succeeded(await cli.run('review', 'rule', investigationId, '--set', 'submitted', '--json')),
    ) as ReviewSettings;
    assert.equal(rule.publication_rule, 'submitted');
    const badKind = await cli.run('review', 'show', 'lot', siteId);
    assert.equal(badKind.code, 2);
  });

  it('refuses to take back a publication that does not exist, and asks for a reason', async () => {
    const noReason = await cli.run('review', 'unpublish', 'site', siteId, '--version', '1');
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /--reason/);
    const notPublished = await cli.run(
      'review',
      'unpublish',
      'site',
      siteId,
      '--version',
      '1',
      '--reason',
      'Wrong site',
    );
    assert.equal(notPublished.code, 1);
    assert.match(notPublished.stderr, /not_published/);
  });
});
