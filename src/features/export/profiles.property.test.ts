// The property of issue 13: a `public` export of any investigation never holds a coordinate finer than the grid,
// a personal-data value, an unpublished or non-public record, or EXIF GPS in a photo copy. Random investigations
// (sites, items, markings, media and claims with random review states, sensitivities, coordinates, personal data
// and photos carrying EXIF GPS) are written straight to the database and exported through the real outputs: the
// JSON export, the site and hazard GeoJSON, the sites CSV, the bag and the public site.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import exifr from 'exifr';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import type { Actor } from '../access/schema.js';
import { addMember, createInvestigation } from '../investigations/service.js';
import { FolderEvidenceStore } from '../../storage/folder-store.js';
import { exportBag } from '../bags/service.js';
import { makePhoto } from '../../testing/media.js';
import { createTestDatabase, createTestUser, type TestDatabase } from '../../testing/test-database.js';
import { openExport } from './files.js';
import { isGridCentre } from './grid.js';
import { exportInvestigation } from './service.js';
import { writePublicSite } from './site.js';

const states = ['draft', 'submitted', 'verified', 'published'] as const;
const levels = ['public', 'partners', 'internal', 'restricted'] as const;

const recordArbitrary = fc.record({
  state: fc.constantFrom(...states),
  level: fc.constantFrom(...levels),
  archived: fc.boolean(),
});
const siteArbitrary = fc.record({
  review: recordArbitrary,
  latitude: fc.option(fc.double({ min: -89.9, max: 89.9, noNaN: true }), { nil: null }),
  longitude: fc.double({ min: -179.9, max: 179.9, noNaN: true }),
  items: fc.array(fc.record({ review: recordArbitrary, markings: fc.array(recordArbitrary, { maxLength: 2 }) }), {
    maxLength: 3,
  }),
});
const investigationArbitrary = fc.record({
  sites: fc.array(siteArbitrary, { minLength: 1, maxLength: 4 }),
  media: fc.array(fc.record({ review: recordArbitrary, photo: fc.integer({ min: 0, max: 1 }), video: fc.boolean() }), {
    maxLength: 3,
  }),
  claims: fc.array(recordArbitrary, { maxLength: 2 }),
  gridKm: fc.constantFrom(1, 5, 10, 25),
});

/** A value no released output may carry: every personal-data and note column gets one. */
let secretCounter = 0;
function secret(): string {
  secretCounter += 1;
  return `SECRET-${secretCounter}-${Math.random().toString(36).slice(2, 10)}`;
}

describe('public export of random investigations (property)', () => {
  let test: TestDatabase;
  let owner: Actor;
  let verifier: Actor;
  let store: FolderEvidenceStore;
  let folder: string;
  const photos: { sha256: string; size: number }[] = [];
  before(async () => {
    test = await createTestDatabase();
    owner = await createTestUser(test.db, 'owner-secret-username');
    verifier = await createTestUser(test.db, 'verifier-secret-username');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-profile-property-'));
    store = new FolderEvidenceStore(path.join(folder, 'media'));
    for (const seed of [1, 2]) {
      const bytes = await makePhoto(seed, {
        width: 64,
        height: 48,
        exif: {
          takenAt: '2024:01:02 10:00:00',
          latitude: 36.3412 + seed / 100,
          longitude: 43.1289,
          make: 'SECRETCAM',
          model: 'SERIAL-SECRET',
        },
      });
      const gps = await exifr.gps(bytes);
      assert.equal(typeof gps.latitude, 'number', 'the fixture photo carries EXIF GPS');
      const put = await store.put(Readable.from([bytes]), { maxBytes: 10_000_000 });
      photos.push({ sha256: put.sha256, size: put.sizeBytes });
    }
  });
  after(async () => {
    await test.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('never releases a fine coordinate, a personal-data value, a withheld record or photo GPS', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(investigationArbitrary, async (generated) => {
        runs += 1;
        const db = test.db;
        const investigation = await createInvestigation(db, owner, { title: `Property ${runs}` });
        await addMember(db, owner, investigation.id, { username: verifier.username, role: 'editor' });
        const id = investigation.id;
        const secrets: string[] = [owner.username, verifier.username];
        const allowed = new Set<string>();
        const withheld = new Set<string>();
        const now = new Date();
        const review = (r: { state: string; level: string; archived: boolean }) => {
          const reason = secret();
          secrets.push(reason);
          const archiveReason = r.archived ? secret() : null;
          if (archiveReason !== null) secrets.push(archiveReason);
          return {
            created_by: owner.userId,
            created_at: now,
            updated_at: now,
            review_state: r.state,
            verified_version: r.state === 'verified' || r.state === 'published' ? 1 : null,
            verified_by: r.state === 'verified' || r.state === 'published' ? verifier.userId : null,
            verified_at: r.state === 'verified' || r.state === 'published' ? now : null,
            published_by: r.state === 'published' ? verifier.userId : null,
            published_at: r.state === 'published' ? now : null,
            sensitivity: r.level,
            sensitivity_reason: reason,
            archived_at: r.archived ? now : null,
            archive_reason: archiveReason,
          };
        };
        const releasable = (r: { state: string; level: string; archived: boolean }) =>
          r.state === 'published' && r.level === 'public' && !r.archived;
        const classify = (recordId: string, ok: boolean) => (ok ? allowed : withheld).add(recordId);
        for (const site of generated.sites) {
          const siteId = uuidv7();
          const recoveredBy = secret();
          secrets.push(recoveredBy);
          await db
            .insertInto('sites')
            .values({
              id: siteId,
              investigation_id: id,
              site_type: 'cache',
              name: `Site ${siteId.slice(-4)}`,
              names: '{}',
              latitude: site.latitude,
              longitude: site.latitude === null ? null : site.longitude,
              precision_m: 7,
              recovered_by: recoveredBy,
              ...review(site.review),
            })
            .execute();
          classify(siteId, releasable(site.review));
          for (const item of site.items) {
            const itemId = uuidv7();
            const note = secret();
            secrets.push(note);
            await db
              .insertInto('items')
              .values({
                id: itemId,
                investigation_id: id,
                site_id: siteId,
                category: 'small_arm',
                quantity: 1,
                production_type: 'factory',
                disposal_status: 'in_place',
                disposal_note: note,
                fuze_fitted: 'yes',
                ...review(item.review),
              })
              .execute();
            const itemOk = releasable(item.review) && releasable(site.review);
            classify(itemId, itemOk);
            for (const marking of item.markings) {
              const markingId = uuidv7();
              await db
                .insertInto('markings')
                .values({
                  id: markingId,
                  investigation_id: id,
                  item_id: itemId,
                  text: `M-${markingId.slice(-6)}`,
                  normalized: `M${markingId.slice(-6)}`,
                  kind: 'lot',
                  legibility: 'legible',
                  ...review(marking),
                })
                .execute();
              classify(markingId, itemOk && releasable(marking));
            }
          }
        }
        for (const media of generated.media) {
          const mediaId = uuidv7();
          const photographer = secret();
          const fileName = `${secret()}.jpg`;
          secrets.push(photographer, fileName);
          const photo = photos[media.photo]!;
          await db
            .insertInto('media')
            .values({
              id: mediaId,
              investigation_id: id,
              sha256: photo.sha256,
              size_bytes: photo.size,
              media_type: media.video ? 'video/mp4' : 'image/jpeg',
              original_filename: fileName,
              captured_by: photographer,
              credit: 'Field team',
              ...review(media.review),
            })
            .execute();
          classify(mediaId, releasable(media.review));
        }
        for (const claim of generated.claims) {
          const claimId = uuidv7();
          const note = secret();
          secrets.push(note);
          await db
            .insertInto('provenance_claims')
            .values({
              id: claimId,
              investigation_id: id,
              lot_marking: 'LOT-1',
              lot_normalized: 'LOT1',
              event_type: 'produced',
              confidence: 'probable',
              notes: note,
              ...review(claim),
            })
            .execute();
          classify(claimId, releasable(claim));
        }

        const profile = { profile: 'public' as const, gridKm: generated.gridKm };
        const document = await exportInvestigation(db, owner, id, profile);
        const texts: string[] = [JSON.stringify(document)];
        for (const file of ['sites.geojson', 'hazards.geojson', 'sites.csv', 'items.csv', 'markings.csv'] as const) {
          const opened = await openExport(db, owner, id, file, 'en', profile);
          const chunks: Buffer[] = [];
          for await (const chunk of opened.stream) chunks.push(Buffer.from(chunk as Buffer));
          const text = Buffer.concat(chunks).toString('utf8');
          texts.push(text);
          if (file.endsWith('.geojson')) {
            const collection = JSON.parse(text) as { features: { geometry: { coordinates: [number, number] } }[] };
            for (const { geometry } of collection.features) {
              assert.ok(
                isGridCentre(geometry.coordinates[1], geometry.coordinates[0], generated.gridKm),
                `${file}: ${geometry.coordinates.join(',')} is a cell centre`,
              );
            }
          }
        }
        const bag = path.join(folder, `bag-${runs}`);
        await exportBag(db, store, owner, id, { profile }, bag);
        const site = path.join(folder, `site-${runs}`);
        await writePublicSite(db, store, owner, id, { lang: 'en', gridKm: generated.gridKm }, site);
        const copies: string[] = [];
        for (const root of [bag, site]) {
          for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
            if (!entry.isFile()) continue;
            const file = path.join(entry.parentPath, entry.name);
            const bytes = fs.readFileSync(file);
            if (/\.(jpg|png|webp)$/.test(entry.name)) copies.push(file);
            else texts.push(bytes.toString('utf8'));
            // The originals never leave in a public output.
            assert.ok(!photos.some((photo) => entry.name.startsWith(photo.sha256)), `${file} is not an original`);
          }
        }
        for (const file of copies) {
          const bytes = fs.readFileSync(file);
          assert.equal(await exifr.gps(bytes).catch(() => undefined), undefined, `${file} has no GPS`);
          const metadata = (await exifr
            .parse(bytes, {
              tiff: true,
              exif: true,
              gps: true,
              ifd1: true,
              xmp: true,
              iptc: true,
              jfif: false,
              icc: false,
            })
            .catch(() => undefined)) as Record<string, unknown> | undefined;
          assert.ok(metadata === undefined || Object.keys(metadata).length === 0, `${file} has no metadata`);
        }
        const all = texts.join('\n');
        for (const value of secrets) assert.ok(!all.includes(value), `no output holds the personal value ${value}`);
        for (const record of withheld) assert.ok(!all.includes(record), `withheld record ${record} is in no output`);
        const released = Object.values(document.records).flat();
        for (const row of released) {
          if (typeof row.review_state === 'string')
            assert.ok(allowed.has(String(row.id)), `${String(row.id)} may be released`);
        }
        for (const row of document.records.sites) {
          if (row.latitude === null) continue;
          assert.ok(
            isGridCentre(row.latitude as number, row.longitude as number, generated.gridKm),
            'site point is a cell centre',
          );
        }
        // Photos of releasable media are copied (videos withheld).
        const photoRecords = generated.media.filter((media) => releasable(media.review) && !media.video);
        if (photoRecords.length > 0) assert.ok(copies.length > 0, 'the releasable photos are copied');
      }),
      { numRuns: 20 },
    );
  });
});
