import { sql } from 'kysely';
import { nullsLast, keysetPage, type SortExpression, type SortOrder } from '../../db/pagination.js';
import type { NewRow, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { ItemSortKey } from './schema.js';
import { whereSensitivityAtMost } from '../sensitivity/repository.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';

export async function insertItem(db: Queryable, row: NewRow<'items'>): Promise<Row<'items'>> {
  return db.insertInto('items').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findSite(
  db: Queryable,
  siteId: string,
): Promise<Pick<Row<'sites'>, 'id' | 'investigation_id' | 'archived_at' | 'sensitivity'> | undefined> {
  return db
    .selectFrom('sites')
    .select(['id', 'investigation_id', 'archived_at', 'sensitivity'])
    .where('id', '=', siteId)
    .executeTakeFirst();
}

/** `%` and `_` in user text are literal characters, not wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export interface ItemFilters {
  siteId?: string | undefined;
  zoneId?: string | undefined;
  category?: string | undefined;
  condition?: string | undefined;
  productionType?: string | undefined;
  hazardous: boolean;
  text?: string | undefined;
  after: string | undefined;
  limit: number;
  sort: ItemSortKey;
  order: SortOrder;
  includeArchived: boolean;
  /** The reader's clearance: records above it are left out. */
  clearance: SensitivityLevel;
}

/** What each sort key of the item list orders by (the id breaks ties). */
const itemSortExpressions: Record<ItemSortKey, SortExpression[]> = {
  created: [],
  external_ref: nullsLast(sql`lower(items.external_ref)`, sql`''`),
  category: [sql`items.category`],
  model: nullsLast(sql`lower(items.model)`, sql`''`),
  quantity: [sql`items.quantity`],
  condition: nullsLast('items.condition', sql`''`),
  production_type: [sql`items.production_type`],
  fuze_fitted: nullsLast('items.fuze_fitted', sql`''`),
  disposal_status: [sql`items.disposal_status`],
};

export async function listItems(db: Queryable, investigationId: string, filters: ItemFilters): Promise<Row<'items'>[]> {
  let query = keysetPage(db.selectFrom('items').selectAll(), {
    id: 'items.id',
    keys: itemSortExpressions[filters.sort],
    order: filters.order,
    after: filters.after,
    limit: filters.limit,
  }).where('investigation_id', '=', investigationId);
  query = whereSensitivityAtMost(query, 'items', filters.clearance);
  if (!filters.includeArchived) query = query.where('archived_at', 'is', null);
  if (filters.siteId !== undefined) query = query.where('site_id', '=', filters.siteId);
  if (filters.zoneId !== undefined) query = query.where('zone_id', '=', filters.zoneId);
  if (filters.category !== undefined) query = query.where('category', '=', filters.category);
  if (filters.condition !== undefined) query = query.where('condition', '=', filters.condition);
  if (filters.productionType !== undefined) query = query.where('production_type', '=', filters.productionType);
  if (filters.hazardous) {
    query = query
      .where('fuze_fitted', 'in', ['yes', 'unknown'])
      .where('disposal_status', 'not in', ['rendered_safe', 'destroyed']);
  }
  const text = filters.text;
  if (text !== undefined) {
    const pattern = containsPattern(text);
    query = query.where((eb) =>
      eb.or([
        eb('model', 'ilike', pattern),
        eb('observations', 'ilike', pattern),
        eb('external_ref', 'ilike', pattern),
      ]),
    );
  }
  return query.execute();
}

/**
 * Live items that may still carry a fitted fuze and have not been made safe,
 * with the name of their site; those known to be fuzed first.
 */
export async function listHazards(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): Promise<(Row<'items'> & { site_name: string })[]> {
  // The site's name is shown beside each item, so an item at a site above the clearance is left out too.
  const query = whereSensitivityAtMost(
    whereSensitivityAtMost(db.selectFrom('items').innerJoin('sites', 'sites.id', 'items.site_id'), 'items', clearance),
    'sites',
    clearance,
  );
  return query
    .selectAll('items')
    .select('sites.name as site_name')
    .where('items.investigation_id', '=', investigationId)
    .where('items.archived_at', 'is', null)
    .where('items.fuze_fitted', 'in', ['yes', 'unknown'])
    .where('items.disposal_status', 'not in', ['rendered_safe', 'destroyed'])
    .orderBy(sql`items.fuze_fitted = 'yes'`, 'desc')
    .orderBy('items.id')
    .execute();
}
