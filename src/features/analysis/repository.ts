import type { Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { whereRecordAndItemAtMost, whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

/** Everything the figures are computed from: the live records of one investigation. */
export interface InvestigationFacts {
  items: Pick<
    Row<'items'>,
    'id' | 'external_ref' | 'category' | 'model' | 'quantity' | 'production_type' | 'site_id' | 'zone_id'
  >[];
  sites: Pick<Row<'sites'>, 'id' | 'name' | 'external_ref' | 'site_type' | 'latitude' | 'longitude' | 'recovered_on'>[];
  zones: Pick<Row<'zones'>, 'id' | 'site_id' | 'name'>[];
  lotMarkings: Pick<Row<'markings'>, 'item_id' | 'text' | 'normalized'>[];
  claims: Row<'provenance_claims'>[];
  /** Archived ones too: a live claim may still name an archived actor. */
  actors: Pick<Row<'actors'>, 'id' | 'name' | 'actor_type' | 'country_code'>[];
  traceRequests: Pick<
    Row<'trace_requests'>,
    'id' | 'subject' | 'addressee_id' | 'status' | 'sent_on' | 'due_on' | 'created_at'
  >[];
}

/** Reads the facts in one snapshot, so every figure describes the same moment. */
export async function loadFacts(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): Promise<InvestigationFacts> {
  // Records above the reader's clearance are neither shown nor counted.
  const items = await whereSensitivityAtMost(db.selectFrom('items'), 'items', clearance)
    .select(['id', 'external_ref', 'category', 'model', 'quantity', 'production_type', 'site_id', 'zone_id'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const sites = await whereSensitivityAtMost(db.selectFrom('sites'), 'sites', clearance)
    .select(['id', 'name', 'external_ref', 'site_type', 'latitude', 'longitude', 'recovered_on'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const zones = await db
    .selectFrom('zones')
    .select(['id', 'site_id', 'name'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const lotMarkings = await whereRecordAndItemAtMost(db.selectFrom('markings'), 'markings', clearance)
    .select(['item_id', 'text', 'normalized'])
    .where('investigation_id', '=', investigationId)
    .where('kind', '=', 'lot')
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const claims = await whereRecordAndItemAtMost(db.selectFrom('provenance_claims'), 'provenance_claims', clearance)
    .selectAll()
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  const actors = await db
    .selectFrom('actors')
    .select(['id', 'name', 'actor_type', 'country_code'])
    .where('investigation_id', '=', investigationId)
    .orderBy('id')
    .execute();
  const traceRequests = await db
    .selectFrom('trace_requests')
    .select(['id', 'subject', 'addressee_id', 'status', 'sent_on', 'due_on', 'created_at'])
    .where('investigation_id', '=', investigationId)
    .where('archived_at', 'is', null)
    .orderBy('id')
    .execute();
  return { items, sites, zones, lotMarkings, claims, actors, traceRequests };
}
