// The versioned-record contract, once for every kind of record that has a version and an archive route (issue 14,
// item 3): a change sent with an old version is refused (409 version_conflict) and changes nothing; archiving
// needs the current version and a reason, leaves the record out of nothing it should not (the record is still
// readable) and is audited; an archived record refuses every change and a second archive (409 archived).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestItem, createTestMedia, createTestSite, createTestZone } from '../../src/testing/records.js';
import { createTestWorld, type TestWorld } from '../../src/testing/test-database.js';

/** One kind of versioned record: its address, how a test makes one, and a change its PATCH accepts. */
interface VersionedKind {
  /** The path segment of its routes (`/api/v1/<path>/{id}`). */
  path: string;
  /** The audit action of its archive. */
  archiveAction: string;
  create: (world: TestWorld, post: Post) => Promise<string>;
  change: (attempt: number) => Record<string, unknown>;
}

type Post = (url: string, payload: Record<string, unknown>) => Promise<{ id: string }>;

const kinds: VersionedKind[] = [
  {
    path: 'sites',
    archiveAction: 'site.archive',
    create: (world) => createTestSite(world.db, world.owner, world.investigationId),
    change: (attempt) => ({ name: `Cache renamed ${attempt}` }),
  },
  {
    path: 'zones',
    archiveAction: 'zone.archive',
    create: async (world) =>
      createTestZone(
        world.db,
        world.owner,
        world.investigationId,
        await createTestSite(world.db, world.owner, world.investigationId),
        'North room',
      ),
    change: (attempt) => ({ name: `Room ${attempt}` }),
  },
  {
    path: 'items',
    archiveAction: 'item.archive',
    create: (world) => createTestItem(world.db, world.owner, world.investigationId),
    change: (attempt) => ({ quantity: attempt + 1 }),
  },
  {
    path: 'markings',
    archiveAction: 'marking.archive',
    create: async (world, post) =>
      (
        await post(`/api/v1/items/${await createTestItem(world.db, world.owner, world.investigationId)}/markings`, {
          text: 'LOT 12-34',
          kind: 'lot',
        })
      ).id,
    change: (attempt) => ({ position: `base, ${attempt}` }),
  },
  {
    path: 'media',
    archiveAction: 'media.archive',
    create: (world) =>
      createTestMedia(world.db, world.owner, world.investigationId, { original_filename: 'crate.jpg' }),
    change: (attempt) => ({ credit: `Team ${attempt}` }),
  },
  {
    path: 'actors',
    archiveAction: 'actor.archive',
    create: async (world, post) =>
      (
        await post(`/api/v1/investigations/${world.investigationId}/actors`, {
          actor_type: 'manufacturer',
          name: 'Plant 17',
        })
      ).id,
    change: (attempt) => ({ name: `Plant ${attempt}` }),
  },
  {
    path: 'sources',
    archiveAction: 'source.archive',
    create: async (world, post) =>
      (await post(`/api/v1/investigations/${world.investigationId}/sources`, { kind: 'other', title: 'Field notes' }))
        .id,
    change: (attempt) => ({ title: `Field notes ${attempt}` }),
  },
  {
    path: 'incidents',
    archiveAction: 'incident.archive',
    create: async (world, post) =>
      (
        await post(`/api/v1/investigations/${world.investigationId}/incidents`, {
          incident_type: 'other',
          title: 'Store room found',
        })
      ).id,
    change: (attempt) => ({ title: `Store room found (${attempt})` }),
  },
  {
    path: 'trace-requests',
    archiveAction: 'trace_request.archive',
    create: async (world, post) => {
      const addressee = await post(`/api/v1/investigations/${world.investigationId}/actors`, {
        actor_type: 'state',
        name: 'Ministry of Defence',
      });
      return (
        await post(`/api/v1/investigations/${world.investigationId}/trace-requests`, {
          addressee_id: addressee.id,
          subject: 'Lot 12-34',
        })
      ).id;
    },
    change: (attempt) => ({ subject: `Lot 12-34 (${attempt})` }),
  },
  {
    path: 'provenance-claims',
    archiveAction: 'provenance_claim.archive',
    create: async (world, post) =>
      (
        await post(`/api/v1/investigations/${world.investigationId}/provenance-claims`, {
          item_id: await createTestItem(world.db, world.owner, world.investigationId),
          event_type: 'recovered',
          confidence: 'possible',
        })
      ).id,
    change: (attempt) => ({ place: `Mosul ${attempt}` }),
  },
];

describe('the versioned-record contract, for every versioned record', () => {
  let world: TestWorld;
  let cookie: string;

  before(async () => {
    world = await createTestWorld();
    cookie = await world.cookieFor('owner');
  });
  after(async () => {
    await world.close();
  });

  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>) =>
    world.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload }) });

  const post: Post = async (url, payload) => {
    const response = await send('POST', url, payload);
    assert.equal(response.statusCode, 201, `${url}: ${response.body}`);
    return response.json<{ id: string }>();
  };

  for (const kind of kinds) {
    it(`${kind.path}: stale version 409, archive with the current version (audited), archived 409`, async () => {
      const id = await kind.create(world, post);
      const url = `/api/v1/${kind.path}/${id}`;
      const read = async () => {
        const response = await send('GET', url);
        assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
        return response.json<{ version: number; archived_at: string | null }>();
      };
      assert.equal((await read()).version, 1);

      const changed = await send('PATCH', url, { version: 1, ...kind.change(1) });
      assert.equal(changed.statusCode, 200, `${url}: ${changed.body}`);
      assert.equal(changed.json<{ version: number }>().version, 2);

      // A change from someone who read version 1 is refused and changes nothing.
      const stale = await send('PATCH', url, { version: 1, ...kind.change(2) });
      assert.equal(stale.statusCode, 409, stale.body);
      assert.equal(stale.json<{ code: string }>().code, 'version_conflict');
      assert.equal((await read()).version, 2);

      const staleArchive = await send('POST', `${url}/archive`, { version: 1, reason: 'recorded twice' });
      assert.equal(staleArchive.statusCode, 409, staleArchive.body);
      assert.equal(staleArchive.json<{ code: string }>().code, 'version_conflict');

      const archived = await send('POST', `${url}/archive`, { version: 2, reason: 'recorded twice' });
      assert.equal(archived.statusCode, 200, archived.body);
      const archivedRecord = archived.json<{ version: number; archived_at: string | null; archive_reason: string }>();
      assert.equal(archivedRecord.version, 3);
      assert.notEqual(archivedRecord.archived_at, null);
      assert.equal(archivedRecord.archive_reason, 'recorded twice');
      // Archived, not deleted: still readable, with its reason.
      assert.notEqual((await read()).archived_at, null);

      const entry = await world.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id'])
        .where('entity_id', '=', id)
        .where('action', '=', kind.archiveAction)
        .executeTakeFirst();
      assert.deepEqual(entry, { action: kind.archiveAction, actor_id: world.owner.userId });

      const changeArchived = await send('PATCH', url, { version: 3, ...kind.change(3) });
      assert.equal(changeArchived.statusCode, 409, changeArchived.body);
      assert.equal(changeArchived.json<{ code: string }>().code, 'archived');
      const archiveAgain = await send('POST', `${url}/archive`, { version: 3, reason: 'again' });
      assert.equal(archiveAgain.statusCode, 409, archiveAgain.body);
      assert.equal(archiveAgain.json<{ code: string }>().code, 'archived');
      assert.equal((await read()).version, 3);
    });
  }
});
