/**
 * Test helpers for the tracing, reference and analysis tests: sites, items,
 * markings and media written and audited exactly as the services write them,
 * without depending on those features' input rules.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB, NewRow } from '../db/tables.js';
import type { Actor } from '../features/access/schema.js';
import { recordChange } from '../features/audit/service.js';
import { normalizeMarking } from '../parsing/marking-text.js';

function stamp(user: Actor) {
  const now = new Date();
  return { created_by: user.userId, created_at: now, updated_at: now };
}

export async function createTestSite(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  fields: Partial<NewRow<'sites'>> = {},
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const site = await trx
      .insertInto('sites')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_type: 'cache',
        name: 'Cache A',
        names: '{}',
        ...stamp(user),
        ...fields,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'site.create',
      entityType: 'sites',
      entityId: site.id,
      investigationId,
      after: site,
    });
    return site.id;
  });
}

export async function createTestZone(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  siteId: string,
  name: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const zone = await trx
      .insertInto('zones')
      .values({ id: uuidv7(), investigation_id: investigationId, site_id: siteId, name, ...stamp(user) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'zone.create',
      entityType: 'zones',
      entityId: zone.id,
      investigationId,
      after: zone,
    });
    return zone.id;
  });
}

export interface TestItemOptions {
  /** The site to put it in; a new cache site when absent. */
  siteId?: string;
  zoneId?: string | null;
  category?: string;
  model?: string | null;
  quantity?: number;
  productionType?: 'factory' | 'craft' | 'unknown';
  externalRef?: string | null;
  markings?: { text: string; kind: string }[];
}

/** An item (in a new site unless one is given) with its markings. */
export async function createTestItem(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  options: TestItemOptions = {},
): Promise<string> {
  const siteId = options.siteId ?? (await createTestSite(db, user, investigationId));
  return db.transaction().execute(async (trx) => {
    const item = await trx
      .insertInto('items')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        site_id: siteId,
        zone_id: options.zoneId ?? null,
        external_ref: options.externalRef ?? null,
        category: options.category ?? 'cartridges',
        model: options.model ?? null,
        quantity: options.quantity ?? 1,
        production_type: options.productionType ?? 'factory',
        disposal_status: 'in_place',
        ...stamp(user),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'item.create',
      entityType: 'items',
      entityId: item.id,
      investigationId,
      after: item,
    });
    for (const { text, kind } of options.markings ?? []) {
      const marking = await trx
        .insertInto('markings')
        .values({
          id: uuidv7(),
          investigation_id: investigationId,
          item_id: item.id,
          text,
          normalized: normalizeMarking(text),
          kind,
          legibility: 'legible',
          ...stamp(user),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordChange(trx, user, {
        action: 'marking.create',
        entityType: 'markings',
        entityId: marking.id,
        investigationId,
        after: marking,
      });
    }
    return item.id;
  });
}

/** A media record (metadata only) for a scanned letter or photo. */
export async function createTestMedia(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  fields: { original_filename: string; credit?: string | null; captured_by?: string | null; source_id?: string | null },
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const media = await trx
      .insertInto('media')
      .values({
        id: uuidv7(),
        investigation_id: investigationId,
        sha256: createHash('sha256').update(fields.original_filename).digest('hex'),
        size_bytes: 1024,
        media_type: fields.original_filename.endsWith('.pdf') ? 'application/pdf' : 'image/jpeg',
        original_filename: fields.original_filename,
        credit: fields.credit ?? null,
        captured_by: fields.captured_by ?? null,
        source_id: fields.source_id ?? null,
        ...stamp(user),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, user, {
      action: 'media.create',
      entityType: 'media',
      entityId: media.id,
      investigationId,
      after: media,
    });
    return media.id;
  });
}
