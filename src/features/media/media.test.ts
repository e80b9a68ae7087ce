import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { createTestUser, createTestWorld, type TestWorld } from '../../testing/test-database.js';
import type { Actor } from '../access/schema.js';
import { recordChange, verifyAudit } from '../audit/service.js';
import { addMember } from '../investigations/service.js';
import { createSource } from '../sources/service.js';
import { createMedia, linkMedia } from './service.js';

/**
 * A site, an item on it and a marking on the item, written the way the
 * application writes them (row and audit entry in one transaction), without
 * depending on those features' code.
 */
async function addAuditedMarking(
  world: TestWorld,
  actor: Actor,
  investigationId: string,
): Promise<{ siteId: string; itemId: string; markingId: string }> {
  return world.db.transaction().execute(async (trx) => {
    const now = new Date();
    const stamp = { created_by: actor.userId, created_at: now, updated_at: now };
    const site = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_type: 'cache',
        name: 'Farm barn',
        names: '{}',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_id: site.id,
        category: 'cartridges',
        quantity: 40,
        production_type: 'factory',
        disposal_status: 'in_place',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const marking = await trx
      .insertInto('markings')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        item_id: item.id,
        text: '7.62 1983',
        normalized: '7621983',
        kind: 'headstamp',
        legibility: 'legible',
        ...stamp,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const [table, row] of [
      ['sites', site],
      ['items', item],
      ['markings', marking],
    ] as const) {
      await recordChange(trx, actor, {
        action: `${table.slice(0, -1)}.create`,
        entityType: table,
        entityId: row.id,
        investigationId,
        after: row,
      });
    }
    return { siteId: site.id, itemId: item.id, markingId: marking.id };
  });
}

const photoHash = 'A3F1C9E2B4D6F8A0C1E3B5D7F9A2C4E6B8D0F1A3C5E7B9D2F4A6C8E0B1D3F5A7';

interface IdPage {
  items: { id: string }[];
}

describe('media API', () => {
  let world: TestWorld;
  let ours: { siteId: string; itemId: string; markingId: string };
  let theirs: { siteId: string; itemId: string; markingId: string };
  before(async () => {
    world = await createTestWorld();
    await createTestUser(world.db, 'reader');
    await addMember(world.db, world.owner, world.investigationId, { username: 'reader', role: 'viewer' });
    ours = await addAuditedMarking(world, world.owner, world.investigationId);
    theirs = await addAuditedMarking(world, world.outsider, world.otherInvestigationId);
  });
  after(async () => {
    await world.close();
  });

  it('records media by metadata, updates it with a version check and archives it', async () => {
    const cookie = await world.cookieFor('owner');
    const source = await createSource(world.db, world.owner, world.investigationId, {
      kind: 'media_report',
      title: 'Photo report',
      credit_line: 'Image source: QQ',
    });
    const created = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { cookie },
      payload: {
        sha256: photoHash,
        size_bytes: 482113,
        media_type: 'image/jpeg',
        original_filename: 'IMG_0412.JPG',
        captured_at: '2017-03-02T10:15:00+03:00',
        captured_by: 'Field team 2',
        source_id: source.id,
        credit: 'Image source: QQ',
        licence: 'All rights reserved',
        original_url: 'https://news.qq.com/example.jpg',
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const media = created.json();
    assert.equal(media.sha256, photoHash.toLowerCase());
    assert.equal(media.captured_at, '2017-03-02T07:15:00.000Z');
    assert.equal(media.size_bytes, 482113);

    const byHash = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/media?sha256=${photoHash}`,
      headers: { cookie },
    });
    assert.equal(byHash.statusCode, 200, byHash.body);
    assert.deepEqual(
      byHash.json<IdPage>().items.map((row) => row.id),
      [media.id],
    );

    const updated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${media.id}`,
      headers: { cookie },
      payload: { version: 1, licence: 'CC BY 4.0', captured_at: null },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().version, 2);
    assert.equal(updated.json().licence, 'CC BY 4.0');
    assert.equal(updated.json().captured_at, null);
    assert.equal(updated.json().sha256, photoHash.toLowerCase());

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${media.id}`,
      headers: { cookie },
      payload: { version: 1, credit: 'Lost update' },
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'version_conflict');

    const archived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media/${media.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'duplicate upload of the same photo' },
    });
    assert.equal(archived.statusCode, 200, archived.body);
    const linkArchived = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media/${media.id}/links`,
      headers: { cookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(linkArchived.statusCode, 409);
    assert.equal(linkArchived.json().code, 'archived');
  });

  it('links media to a site, an item and a marking, refuses duplicates and unlinks by archiving', async () => {
    const cookie = await world.cookieFor('owner');
    const media = await createMedia(world.db, world.owner, world.investigationId, {
      sha256: 'b'.repeat(64),
      size_bytes: 1024,
      media_type: 'image/png',
    });
    const links: { id: string }[] = [];
    for (const payload of [{ site_id: ours.siteId }, { item_id: ours.itemId }, { marking_id: ours.markingId }]) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/media/${media.id}/links`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 201, response.body);
      assert.equal(response.json().media_id, media.id);
      links.push(response.json());
    }
    const duplicate = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media/${media.id}/links`,
      headers: { cookie },
      payload: { item_id: ours.itemId },
    });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'already_exists');
    assert.equal(duplicate.json().fields[0].field, 'item_id');

    const shown = await world.app.inject({ method: 'GET', url: `/api/v1/media/${media.id}`, headers: { cookie } });
    assert.equal(shown.statusCode, 200, shown.body);
    assert.equal(shown.json().links.length, 3);
    assert.equal(shown.json().links[1].item_id, ours.itemId);

    const staleUnlink = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media-links/${links[1]!.id}/archive`,
      headers: { cookie },
      payload: { version: 2, reason: 'wrong item' },
    });
    assert.equal(staleUnlink.statusCode, 409);
    const unlinked = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media-links/${links[1]!.id}/archive`,
      headers: { cookie },
      payload: { version: 1, reason: 'wrong item' },
    });
    assert.equal(unlinked.statusCode, 200, unlinked.body);
    assert.equal(unlinked.json().archive_reason, 'wrong item');
    const afterUnlink = await world.app.inject({
      method: 'GET',
      url: `/api/v1/media/${media.id}`,
      headers: { cookie },
    });
    assert.deepEqual(
      afterUnlink.json<{ links: { id: string }[] }>().links.map((link) => link.id),
      [links[0]!.id, links[2]!.id],
    );
    const relinked = await linkMedia(world.db, world.owner, media.id, { item_id: ours.itemId });
    assert.equal(relinked.item_id, ours.itemId);
  });

  it('names the field of bad input', async () => {
    const cookie = await world.cookieFor('owner');
    const valid = { sha256: 'c'.repeat(64), size_bytes: 10, media_type: 'image/jpeg' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, sha256: 'not-a-hash' }, 'sha256'],
      [{ ...valid, size_bytes: -1 }, 'size_bytes'],
      [{ ...valid, media_type: 'jpeg' }, 'media_type'],
      [{ ...valid, captured_at: '2017-03-02' }, 'captured_at'],
      [{ ...valid, original_url: 'file:///tmp/a.jpg' }, 'original_url'],
    ];
    for (const [payload, field] of cases) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/investigations/${world.investigationId}/media`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().fields[0].field, field);
    }
    const media = await createMedia(world.db, world.owner, world.investigationId, valid);
    for (const payload of [{}, { site_id: ours.siteId, item_id: ours.itemId }]) {
      const response = await world.app.inject({
        method: 'POST',
        url: `/api/v1/media/${media.id}/links`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().code, 'validation_failed');
    }
  });

  it('refuses references to another investigation’s records', async () => {
    const cookie = await world.cookieFor('owner');
    const theirSource = await createSource(world.db, world.outsider, world.otherInvestigationId, {
      kind: 'other',
      title: 'Their source',
    });
    const media = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { cookie },
      payload: { sha256: 'd'.repeat(64), size_bytes: 10, media_type: 'video/mp4', source_id: theirSource.id },
    });
    assert.equal(media.statusCode, 422, media.body);
    assert.equal(media.json().code, 'reference_invalid');
    assert.equal(media.json().fields[0].field, 'source_id');

    const ownMedia = await createMedia(world.db, world.owner, world.investigationId, {
      sha256: 'e'.repeat(64),
      size_bytes: 10,
      media_type: 'video/mp4',
    });
    for (const [column, id] of [
      ['site_id', theirs.siteId],
      ['item_id', theirs.itemId],
      ['marking_id', theirs.markingId],
    ] as const) {
      const link = await world.app.inject({
        method: 'POST',
        url: `/api/v1/media/${ownMedia.id}/links`,
        headers: { cookie },
        payload: { [column]: id },
      });
      assert.equal(link.statusCode, 422, link.body);
      assert.equal(link.json().code, 'reference_invalid');
      assert.equal(link.json().fields[0].field, column);
    }
  });

  it('hides another team’s media and lets a viewer read but not write', async () => {
    const theirMedia = await createMedia(world.db, world.outsider, world.otherInvestigationId, {
      sha256: 'f'.repeat(64),
      size_bytes: 10,
      media_type: 'image/jpeg',
    });
    const cookie = await world.cookieFor('owner');
    const get = await world.app.inject({ method: 'GET', url: `/api/v1/media/${theirMedia.id}`, headers: { cookie } });
    assert.equal(get.statusCode, 404);
    const list = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.otherInvestigationId}/media`,
      headers: { cookie },
    });
    assert.equal(list.statusCode, 404);
    const link = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media/${theirMedia.id}/links`,
      headers: { cookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(link.statusCode, 404);

    const ownMedia = await createMedia(world.db, world.owner, world.investigationId, {
      sha256: '1'.repeat(64),
      size_bytes: 10,
      media_type: 'image/jpeg',
    });
    const readerCookie = await world.cookieFor('reader');
    const read = await world.app.inject({
      method: 'GET',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { cookie: readerCookie },
    });
    assert.equal(read.statusCode, 200);
    const create = await world.app.inject({
      method: 'POST',
      url: `/api/v1/investigations/${world.investigationId}/media`,
      headers: { cookie: readerCookie },
      payload: { sha256: '2'.repeat(64), size_bytes: 10, media_type: 'image/jpeg' },
    });
    assert.equal(create.statusCode, 403);
    const readerLink = await world.app.inject({
      method: 'POST',
      url: `/api/v1/media/${ownMedia.id}/links`,
      headers: { cookie: readerCookie },
      payload: { site_id: ours.siteId },
    });
    assert.equal(readerLink.statusCode, 403);
    const readerPatch = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/media/${ownMedia.id}`,
      headers: { cookie: readerCookie },
      payload: { version: 1, credit: 'Viewer credit' },
    });
    assert.equal(readerPatch.statusCode, 403);
  });

  it('describes its routes in the OpenAPI document', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200, response.body);
    const paths = Object.keys(response.json<{ paths: Record<string, unknown> }>().paths);
    for (const path of [
      '/api/v1/investigations/{id}/media',
      '/api/v1/media/{id}',
      '/api/v1/media/{id}/archive',
      '/api/v1/media/{id}/links',
      '/api/v1/media-links/{id}/archive',
    ]) {
      assert.ok(paths.includes(path), path);
    }
  });

  it('audits every write so the chain and the records verify', async () => {
    const result = await verifyAudit(world.db);
    assert.deepEqual(result.problems, []);
  });
});
