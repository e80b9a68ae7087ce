import type { Kysely } from 'kysely';
import type { DB } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import type { Actor } from '../access/schema.js';
import * as compute from './compute.js';
import { loadFacts, type InvestigationFacts } from './repository.js';
import type {
  AllAnalyses,
  AnalysisQuery,
  Categories,
  CraftClusters,
  ExportToRecovery,
  OpenTraceRequests,
  ProductionCountries,
  ProductionSitesOverTime,
  TimelineQuery,
} from './schema.js';
import { requireReader } from '../sensitivity/service.js';

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Checks the caller may read the investigation, then reads its records in one snapshot. */
/**
 * The facts the figures are computed from, read in the caller's transaction: the report reads them in the same
 * snapshot as its records. The caller has checked that the actor may read the investigation.
 *
 * @example
 * const facts = await readInvestigationFacts(trx, investigationId, clearance);
 */
export function readInvestigationFacts(
  db: Queryable,
  investigationId: string,
  clearance: SensitivityLevel,
): Promise<InvestigationFacts> {
  return loadFacts(db, investigationId, clearance);
}

async function readFacts(db: Kysely<DB>, user: Actor, investigationId: string): Promise<InvestigationFacts> {
  const { clearance } = await requireReader(db, user, investigationId);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => loadFacts(trx, investigationId, clearance));
}

/**
 * Items by country of production: the country of the actor of the surest
 * 'produced' claims about the item or its lot.
 *
 * @example
 * const { rows } = await getProductionCountries(db, user, investigationId);
 * rows[0]; // { key: 'RU', items: 12, share_items: 0.4, confirmed: 3, ... }
 */
export async function getProductionCountries(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
): Promise<ProductionCountries> {
  return compute.productionCountries(await readFacts(db, user, investigationId));
}

export async function getCategories(db: Kysely<DB>, user: Actor, investigationId: string): Promise<Categories> {
  return compute.categories(await readFacts(db, user, investigationId));
}

/** Years from lawful export (or production) to recovery, by category and by producer. */
export async function getExportToRecovery(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
): Promise<ExportToRecovery> {
  return compute.exportToRecovery(await readFacts(db, user, investigationId));
}

/** Sites and zones ranked by craft-produced items, with coordinates for a map. */
export async function getCraftClusters(db: Kysely<DB>, user: Actor, investigationId: string): Promise<CraftClusters> {
  return compute.craftClusters(await readFacts(db, user, investigationId));
}

export async function getProductionSitesOverTime(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  query: Pick<TimelineQuery, 'granularity'>,
): Promise<ProductionSitesOverTime> {
  return compute.productionSitesOverTime(await readFacts(db, user, investigationId), query.granularity);
}

/** Open trace requests by addressee and age on `as_of` (today by default). */
export async function getOpenTraceRequests(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  query: AnalysisQuery,
): Promise<OpenTraceRequests> {
  return compute.openTraceRequests(await readFacts(db, user, investigationId), query.as_of ?? todayUtc());
}

/** Every figure at once from facts already read (the report reads them with its own records). */
export function computeAllAnalyses(
  facts: InvestigationFacts,
  options: { asOf?: string | undefined; granularity?: 'month' | 'year' },
): AllAnalyses {
  return {
    productionCountries: compute.productionCountries(facts),
    categories: compute.categories(facts),
    exportToRecovery: compute.exportToRecovery(facts),
    craftClusters: compute.craftClusters(facts),
    productionSitesOverTime: compute.productionSitesOverTime(facts, options.granularity ?? 'month'),
    openTraceRequests: compute.openTraceRequests(facts, options.asOf ?? todayUtc()),
  };
}
