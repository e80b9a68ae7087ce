import { sql, type RawBuilder } from 'kysely';
import type { Queryable } from '../../db/versioned.js';
import { restrictedCondition } from '../sensitivity/repository.js';

/** Which markings the serial-run and shared-lot analyses look at. */
export interface GroupScope {
  /** Only these investigations; undefined for every investigation (administrators). */
  investigationIds: readonly string[] | undefined;
  /** Where restricted markings may be counted; undefined: everywhere (see src/features/sensitivity). */
  restrictedIn: readonly string[] | undefined;
  limit: number;
}

function scopeCondition(scope: GroupScope): RawBuilder<unknown> {
  const restricted = restrictedCondition('m', scope.restrictedIn);
  if (scope.investigationIds === undefined) return restricted;
  if (scope.investigationIds.length === 0) return sql`false`;
  return sql`m.investigation_id IN (${sql.join(scope.investigationIds.map((id) => sql`${id}::uuid`))}) AND ${restricted}`;
}

/** A group's members, as the analyses return them (JSON built by the database). */
export interface GroupMemberRow {
  marking_id: string;
  item_id: string;
  item_external_ref: string | null;
  text: string;
  site_id: string;
  site_name: string;
  investigation_id: string;
}

interface SpreadColumns {
  group_key: string;
  items: number;
  sites: number;
  investigations: number;
  min_latitude: number | null;
  max_latitude: number | null;
  min_longitude: number | null;
  max_longitude: number | null;
  first_recovered_on: string | null;
  last_recovered_on: string | null;
  members: GroupMemberRow[];
}

export type SharedLotRow = SpreadColumns & { confusion_key: string; variants: string[]; markings: number };

export type SerialRunRow = SpreadColumns & {
  model: string | null;
  producer_id: string | null;
  producer_name: string | null;
  prefix: string;
  width: number;
  first_number: string;
  last_number: string;
};

// Shared by both analyses: how far a group reaches.
const spreadColumns = sql`
  count(DISTINCT g.item_id)::int AS items,
  count(DISTINCT g.site_id)::int AS sites,
  count(DISTINCT g.investigation_id)::int AS investigations,
  min(g.latitude) AS min_latitude, max(g.latitude) AS max_latitude,
  min(g.longitude) AS min_longitude, max(g.longitude) AS max_longitude,
  min(g.recovered_on)::text AS first_recovered_on, max(g.recovered_on)::text AS last_recovered_on`;

// The members of the groups kept, in order (the service keeps the first 50 of each).
const membersJson = sql`json_agg(json_build_object(
    'marking_id', g.marking_id, 'item_id', g.item_id, 'item_external_ref', g.item_external_ref, 'text', g.text,
    'site_id', g.site_id, 'site_name', g.site_name, 'investigation_id', g.investigation_id
  ) ORDER BY g.sort_key, g.marking_id) AS members`;

const memberColumns = sql`
  m.id AS marking_id, m.item_id, m.text, m.investigation_id, i.external_ref AS item_external_ref,
  s.id AS site_id, s.name AS site_name, s.latitude, s.longitude, s.recovered_on`;

/**
 * Lot markings read at more than one site: grouped by confusion key (so
 * `LOT 1O4` and `LOT 104` are one lot, both shown as variants), markings
 * with unread characters left out. Widest spread first, then most items.
 */
export async function listSharedLots(db: Queryable, scope: GroupScope): Promise<SharedLotRow[]> {
  const result = await sql<SharedLotRow>`
    WITH g AS MATERIALIZED (
      SELECT ${memberColumns}, m.confusion_key AS group_key, m.text AS sort_key
      FROM markings m
      JOIN items i ON i.id = m.item_id
      JOIN sites s ON s.id = i.site_id
      WHERE ${scopeCondition(scope)} AND m.kind = 'lot' AND m.archived_at IS NULL AND i.archived_at IS NULL
        AND m.confusion_key IS NOT NULL AND m.confusion_key <> '' AND position('?' IN m.confusion_key) = 0
    ),
    top AS (
      SELECT g.group_key, count(*)::int AS markings, (array_agg(DISTINCT g.text))[1:10] AS variants, ${spreadColumns}
      FROM g
      GROUP BY g.group_key
      HAVING count(DISTINCT g.site_id) >= 2
      ORDER BY sites DESC, items DESC, g.group_key
      LIMIT ${scope.limit}
    )
    SELECT top.*, top.group_key AS confusion_key, ${membersJson}
    FROM top JOIN g ON g.group_key = top.group_key
    GROUP BY top.group_key, top.markings, top.variants, top.items, top.sites, top.investigations, top.min_latitude,
      top.max_latitude, top.min_longitude, top.max_longitude, top.first_recovered_on, top.last_recovered_on
    ORDER BY top.sites DESC, top.items DESC, top.group_key`.execute(db);
  return result.rows;
}

/**
 * Serial runs: serials that share a prefix and a width, on items of the same
 * model and producer (a 'produced' provenance claim's actor, when there is
 * one), whose numbers follow each other with gaps of at most `maxGap`.
 * Runs of at least `minItems` items; widest spread first, then largest.
 */
export async function listSerialRuns(
  db: Queryable,
  scope: GroupScope,
  options: { maxGap: number; minItems: number },
): Promise<SerialRunRow[]> {
  const result = await sql<SerialRunRow>`
    WITH producers AS (
      SELECT DISTINCT ON (p.item_id) p.item_id, p.actor_id
      FROM provenance_claims p
      WHERE p.event_type = 'produced' AND p.item_id IS NOT NULL AND p.actor_id IS NOT NULL AND p.archived_at IS NULL
      ORDER BY p.item_id, p.id
    ),
    serials AS (
      SELECT ${memberColumns}, i.model, producers.actor_id AS producer_id,
        lower(regexp_replace(coalesce(i.model, ''), '[[:space:]./_-]', '', 'g')) AS model_key,
        substring(m.skeleton FROM '^(.*?)[0-9]+$') AS prefix,
        substring(m.skeleton FROM '([0-9]+)$') AS digits
      FROM markings m
      JOIN items i ON i.id = m.item_id
      JOIN sites s ON s.id = i.site_id
      LEFT JOIN producers ON producers.item_id = m.item_id
      WHERE ${scopeCondition(scope)} AND m.kind = 'serial' AND m.archived_at IS NULL AND i.archived_at IS NULL
        AND m.skeleton ~ '[0-9]{3,18}$' AND position('?' IN m.skeleton) = 0
    ),
    ordered AS (
      SELECT *, digits::numeric AS number, length(digits) AS width,
        digits::numeric - lag(digits::numeric) OVER (
          PARTITION BY model_key, producer_id, prefix, length(digits) ORDER BY digits::numeric) AS gap
      FROM serials
    ),
    g AS MATERIALIZED (
      SELECT *, number AS sort_key,
        concat_ws(chr(31), model_key, producer_id::text, prefix, width::text, sum(
          CASE WHEN gap IS NULL OR gap > ${options.maxGap} THEN 1 ELSE 0 END
        ) OVER (PARTITION BY model_key, producer_id, prefix, width ORDER BY number, marking_id)::text) AS group_key
      FROM ordered
    ),
    top AS (
      SELECT g.group_key, min(g.model) AS model, min(g.producer_id::text)::uuid AS producer_id, min(g.prefix) AS prefix,
        min(g.width) AS width, min(g.number)::text AS first_number, max(g.number)::text AS last_number, ${spreadColumns}
      FROM g
      GROUP BY g.group_key
      HAVING count(DISTINCT g.item_id) >= ${options.minItems}
      ORDER BY sites DESC, items DESC, g.group_key
      LIMIT ${scope.limit}
    )
    SELECT top.*, (SELECT a.name FROM actors a WHERE a.id = top.producer_id) AS producer_name, ${membersJson}
    FROM top JOIN g ON g.group_key = top.group_key
    GROUP BY top.group_key, top.model, top.producer_id, top.prefix, top.width, top.first_number, top.last_number,
      top.items, top.sites, top.investigations, top.min_latitude, top.max_latitude, top.min_longitude,
      top.max_longitude, top.first_recovered_on, top.last_recovered_on
    ORDER BY top.sites DESC, top.items DESC, top.group_key`.execute(db);
  return result.rows;
}
