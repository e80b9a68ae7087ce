/**
 * The published figures, computed from an investigation's live records.
 * Pure functions: the same facts always give the same figures. The rules
 * (what is counted, from which claim) are written out in the report's
 * methods section; keep the two in step.
 */
import type { Row } from '../../db/tables.js';
import { claimDateRange, confidenceWeight } from '../provenance/claim-comparison.js';
import { awaitingAnswerStatuses, type TraceRequestStatus } from '../trace-requests/schema.js';
import type { InvestigationFacts } from './repository.js';
import type {
  Categories,
  CraftClusters,
  ExportToRecovery,
  OpenTraceRequests,
  ProductionCountries,
  ProductionSitesOverTime,
} from './schema.js';

type Claim = Row<'provenance_claims'>;
type Item = InvestigationFacts['items'][number];

/** Whole days from one 'YYYY-MM-DD' to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Ascending by count, so `sort(byCountDesc)` lists the largest first, ties by label. */
function byCountThenKey<T>(count: (row: T) => number, key: (row: T) => string) {
  return (a: T, b: T) => count(b) - count(a) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/** The claims that apply to each item: its own, and those about any lot marking it carries. */
export function claimsByItem(facts: InvestigationFacts): Map<string, Claim[]> {
  const lotClaims = new Map<string, Claim[]>();
  const byItem = new Map<string, Claim[]>(facts.items.map((item) => [item.id, []]));
  for (const claim of facts.claims) {
    if (claim.item_id !== null) byItem.get(claim.item_id)?.push(claim);
    else if (claim.lot_normalized !== null) {
      lotClaims.set(claim.lot_normalized, [...(lotClaims.get(claim.lot_normalized) ?? []), claim]);
    }
  }
  const lotsOfItem = new Map<string, Set<string>>();
  for (const marking of facts.lotMarkings) {
    lotsOfItem.set(marking.item_id, (lotsOfItem.get(marking.item_id) ?? new Set()).add(marking.normalized));
  }
  for (const [itemId, lots] of lotsOfItem) {
    const claims = byItem.get(itemId);
    if (claims === undefined) continue;
    for (const lot of lots) claims.push(...(lotClaims.get(lot) ?? []));
  }
  return byItem;
}

export interface ProductionAttribution {
  status: 'attributed' | 'contested' | 'unknown';
  countryCode: string | null;
  producerId: string | null;
  confidence: string | null;
}

/**
 * Where an item was produced: the country of the actor of its 'produced'
 * claims (its own or its lot's), taking only the surest level of confidence
 * present. When the surest claims name different countries the item is
 * contested; without a produced claim naming an actor with a country, unknown.
 */
export function attributeProduction(
  claims: readonly Claim[],
  actors: ReadonlyMap<string, { country_code: string | null }>,
): ProductionAttribution {
  const produced = claims.filter(
    (claim) =>
      claim.event_type === 'produced' && claim.actor_id !== null && actors.get(claim.actor_id)?.country_code != null,
  );
  if (produced.length === 0) return { status: 'unknown', countryCode: null, producerId: null, confidence: null };
  const best = Math.max(...produced.map((claim) => confidenceWeight(claim.confidence)));
  const surest = produced.filter((claim) => confidenceWeight(claim.confidence) === best);
  const countries = [...new Set(surest.map((claim) => actors.get(claim.actor_id!)!.country_code!))];
  if (countries.length > 1) {
    return { status: 'contested', countryCode: null, producerId: null, confidence: surest[0]!.confidence };
  }
  const producers = [...new Set(surest.map((claim) => claim.actor_id!))];
  return {
    status: 'attributed',
    countryCode: countries[0]!,
    producerId: producers.length === 1 ? producers[0]! : null,
    confidence: surest[0]!.confidence,
  };
}

function actorMap(facts: InvestigationFacts) {
  return new Map(facts.actors.map((actor) => [actor.id, actor]));
}

/** Items by country of production, with counts of records and of quantity, and their shares. */
export function productionCountries(facts: InvestigationFacts): ProductionCountries {
  const actors = actorMap(facts);
  const claims = claimsByItem(facts);
  const rows = new Map<string, ProductionCountries['rows'][number]>();
  const totalQuantity = facts.items.reduce((sum, item) => sum + item.quantity, 0);
  for (const item of facts.items) {
    const attribution = attributeProduction(claims.get(item.id) ?? [], actors);
    const key = attribution.status === 'attributed' ? attribution.countryCode! : attribution.status;
    const row = rows.get(key) ?? {
      key,
      country_code: attribution.countryCode,
      items: 0,
      quantity: 0,
      share_items: 0,
      share_quantity: 0,
      confirmed: 0,
      probable: 0,
      possible: 0,
    };
    row.items += 1;
    row.quantity += item.quantity;
    if (attribution.status === 'attributed') {
      if (attribution.confidence === 'confirmed') row.confirmed += 1;
      else if (attribution.confidence === 'probable') row.probable += 1;
      else row.possible += 1;
    }
    rows.set(key, row);
  }
  const special = (key: string) => (key === 'contested' ? 1 : key === 'unknown' ? 2 : 0);
  return {
    total_items: facts.items.length,
    total_quantity: totalQuantity,
    rows: [...rows.values()]
      .map((row) => ({
        ...row,
        share_items: ratio(row.items, facts.items.length),
        share_quantity: ratio(row.quantity, totalQuantity),
      }))
      .sort(
        (a, b) =>
          special(a.key) - special(b.key) ||
          byCountThenKey<typeof a>(
            (row) => row.items,
            (row) => row.key,
          )(a, b),
      ),
  };
}

/** Items by category, with the split by production type. */
export function categories(facts: InvestigationFacts): Categories {
  const totalQuantity = facts.items.reduce((sum, item) => sum + item.quantity, 0);
  const rows = new Map<string, Categories['rows'][number]>();
  for (const item of facts.items) {
    const row = rows.get(item.category) ?? {
      category: item.category,
      items: 0,
      quantity: 0,
      share_items: 0,
      share_quantity: 0,
      craft_items: 0,
      factory_items: 0,
      unknown_production_items: 0,
    };
    row.items += 1;
    row.quantity += item.quantity;
    if (item.production_type === 'craft') row.craft_items += 1;
    else if (item.production_type === 'factory') row.factory_items += 1;
    else row.unknown_production_items += 1;
    rows.set(item.category, row);
  }
  return {
    total_items: facts.items.length,
    total_quantity: totalQuantity,
    rows: [...rows.values()]
      .map((row) => ({
        ...row,
        share_items: ratio(row.items, facts.items.length),
        share_quantity: ratio(row.quantity, totalQuantity),
      }))
      .sort(
        byCountThenKey(
          (row) => row.items,
          (row) => row.category,
        ),
      ),
  };
}

export const yearBins: ExportToRecovery['bins'] = [
  { label: '<1', min_years: 0, max_years: 1 },
  { label: '1–2', min_years: 1, max_years: 2 },
  { label: '2–5', min_years: 2, max_years: 5 },
  { label: '5–10', min_years: 5, max_years: 10 },
  { label: '10–20', min_years: 10, max_years: 20 },
  { label: '20–30', min_years: 20, max_years: 30 },
  { label: '30+', min_years: 30, max_years: null },
];

function distribution(years: number[]): ExportToRecovery['overall'] {
  const sorted = [...years].sort((a, b) => a - b);
  const counts = yearBins.map(
    (bin) =>
      sorted.filter((value) => value >= bin.min_years && (bin.max_years === null || value < bin.max_years)).length,
  );
  return {
    n: sorted.length,
    min_years: sorted.length === 0 ? null : sorted[0]!,
    median_years: median(sorted) === null ? null : round2(median(sorted)!),
    max_years: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
    counts,
  };
}

/**
 * The dated claim an interval starts from: among the claims of the event, the
 * surest, then the one allowing the latest date. The interval runs from that
 * latest date, so it is never longer than the truth: a lower bound.
 */
function startClaim(claims: readonly Claim[], eventType: string): { claim: Claim; date: string } | undefined {
  let chosen: { claim: Claim; date: string } | undefined;
  for (const claim of claims) {
    if (claim.event_type !== eventType) continue;
    const range = claimDateRange(claim);
    if (range === null) continue;
    const better =
      chosen === undefined ||
      confidenceWeight(claim.confidence) > confidenceWeight(chosen.claim.confidence) ||
      (confidenceWeight(claim.confidence) === confidenceWeight(chosen.claim.confidence) && range.latest > chosen.date);
    if (better) chosen = { claim, date: range.latest };
  }
  return chosen;
}

/**
 * Time from lawful export (or, without a dated export claim, from
 * production) to recovery, i.e. the recovery date of the item's site; in
 * years of 365.25 days, by category and by producer.
 */
export function exportToRecovery(facts: InvestigationFacts): ExportToRecovery {
  const actors = actorMap(facts);
  const claims = claimsByItem(facts);
  const sites = new Map(facts.sites.map((site) => [site.id, site]));
  const excluded = { no_recovery_date: 0, no_dated_claim: 0, recovered_before_start: 0 };
  const points: ExportToRecovery['points'] = [];
  for (const item of facts.items) {
    const recoveredOn = sites.get(item.site_id)?.recovered_on ?? null;
    if (recoveredOn === null) {
      excluded.no_recovery_date += 1;
      continue;
    }
    const itemClaims = claims.get(item.id) ?? [];
    const exported = startClaim(itemClaims, 'exported');
    const start = exported ?? startClaim(itemClaims, 'produced');
    if (start === undefined) {
      excluded.no_dated_claim += 1;
      continue;
    }
    const days = daysBetween(start.date, recoveredOn);
    if (days < 0) {
      excluded.recovered_before_start += 1;
      continue;
    }
    points.push({
      item_id: item.id,
      external_ref: item.external_ref,
      category: item.category,
      producer_id: attributeProduction(itemClaims, actors).producerId,
      basis: exported === undefined ? 'produced' : 'exported',
      confidence: start.claim.confidence,
      start_on: start.date,
      recovered_on: recoveredOn,
      years: round2(days / 365.25),
    });
  }
  const group = <K extends string | null>(keyOf: (point: ExportToRecovery['points'][number]) => K) => {
    const groups = new Map<K, number[]>();
    for (const point of points) groups.set(keyOf(point), [...(groups.get(keyOf(point)) ?? []), point.years]);
    return [...groups.entries()];
  };
  return {
    bins: yearBins,
    overall: distribution(points.map((point) => point.years)),
    by_category: group((point) => point.category)
      .map(([category, years]) => ({ category, ...distribution(years) }))
      .sort(
        byCountThenKey(
          (row) => row.n,
          (row) => row.category,
        ),
      ),
    by_producer: group((point) => point.producer_id)
      .map(([producerId, years]) => {
        const actor = producerId === null ? undefined : actors.get(producerId);
        return {
          producer_id: producerId,
          producer_name: actor?.name ?? null,
          country_code: actor?.country_code ?? null,
          ...distribution(years),
        };
      })
      .sort(
        byCountThenKey(
          (row) => row.n,
          (row) => row.producer_name ?? '\uffff',
        ),
      ),
    points,
    excluded,
  };
}

/** Sites and zones ranked by the number of craft-produced item records found there. */
export function craftClusters(facts: InvestigationFacts): CraftClusters {
  const craft = facts.items.filter((item) => item.production_type === 'craft');
  const sites = new Map(facts.sites.map((site) => [site.id, site]));
  const zones = new Map(facts.zones.map((zone) => [zone.id, zone]));
  const bySite = new Map<string, Item[]>();
  const byZone = new Map<string, Item[]>();
  for (const item of craft) {
    bySite.set(item.site_id, [...(bySite.get(item.site_id) ?? []), item]);
    if (item.zone_id !== null) byZone.set(item.zone_id, [...(byZone.get(item.zone_id) ?? []), item]);
  }
  const quantity = (items: Item[]) => items.reduce((sum, item) => sum + item.quantity, 0);
  return {
    total_craft_items: craft.length,
    total_craft_quantity: quantity(craft),
    sites: [...bySite.entries()]
      .map(([siteId, items]) => {
        const site = sites.get(siteId)!;
        const perCategory: Record<string, number> = {};
        for (const item of items) perCategory[item.category] = (perCategory[item.category] ?? 0) + 1;
        return {
          site_id: siteId,
          name: site.name,
          external_ref: site.external_ref,
          site_type: site.site_type,
          latitude: site.latitude,
          longitude: site.longitude,
          recovered_on: site.recovered_on,
          craft_items: items.length,
          craft_quantity: quantity(items),
          share_items: ratio(items.length, craft.length),
          categories: perCategory,
        };
      })
      .sort(
        byCountThenKey(
          (row) => row.craft_items,
          (row) => row.name,
        ),
      ),
    zones: [...byZone.entries()]
      .map(([zoneId, items]) => {
        const zone = zones.get(zoneId)!;
        const site = sites.get(zone.site_id)!;
        return {
          zone_id: zoneId,
          name: zone.name,
          site_id: site.id,
          site_name: site.name,
          latitude: site.latitude,
          longitude: site.longitude,
          craft_items: items.length,
          craft_quantity: quantity(items),
        };
      })
      .sort(
        byCountThenKey(
          (row) => row.craft_items,
          (row) => `${row.site_name}\u0000${row.name}`,
        ),
      ),
  };
}

function nextPeriod(period: string, granularity: 'month' | 'year'): string {
  if (granularity === 'year') return String(Number(period) + 1);
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

// A timeline longer than this is not padded with empty periods.
const MAX_PADDED_PERIODS = 240;

/** Production workshops by the period they were recovered in, with the running total. */
export function productionSitesOverTime(
  facts: InvestigationFacts,
  granularity: 'month' | 'year',
): ProductionSitesOverTime {
  const craftBySite = new Map<string, number>();
  for (const item of facts.items) {
    if (item.production_type === 'craft') craftBySite.set(item.site_id, (craftBySite.get(item.site_id) ?? 0) + 1);
  }
  const workshops = facts.sites
    .filter((site) => site.site_type === 'production_workshop')
    .map((site) => ({
      site_id: site.id,
      name: site.name,
      recovered_on: site.recovered_on,
      latitude: site.latitude,
      longitude: site.longitude,
      craft_items: craftBySite.get(site.id) ?? 0,
    }))
    .sort(
      (a, b) => (a.recovered_on ?? '\uffff').localeCompare(b.recovered_on ?? '\uffff') || a.name.localeCompare(b.name),
    );
  const periodOf = (date: string) => (granularity === 'year' ? date.slice(0, 4) : date.slice(0, 7));
  const dated = workshops.filter((site) => site.recovered_on !== null);
  const counts = new Map<string, { sites: number; craft: number }>();
  for (const site of dated) {
    const period = periodOf(site.recovered_on!);
    const entry = counts.get(period) ?? { sites: 0, craft: 0 };
    entry.sites += 1;
    entry.craft += site.craft_items;
    counts.set(period, entry);
  }
  let periods = [...counts.keys()].sort();
  if (periods.length > 1) {
    const padded = [periods[0]!];
    while (padded[padded.length - 1]! < periods[periods.length - 1]! && padded.length <= MAX_PADDED_PERIODS) {
      padded.push(nextPeriod(padded[padded.length - 1]!, granularity));
    }
    if (padded.length <= MAX_PADDED_PERIODS) periods = padded;
  }
  let cumulative = 0;
  return {
    granularity,
    periods: periods.map((period) => {
      const entry = counts.get(period) ?? { sites: 0, craft: 0 };
      cumulative += entry.sites;
      return { period, new_sites: entry.sites, cumulative_sites: cumulative, craft_items: entry.craft };
    }),
    undated_sites: workshops.length - dated.length,
    sites: workshops,
  };
}

export const ageBuckets = [
  { label: '0–30', max: 30 },
  { label: '31–90', max: 90 },
  { label: '91–180', max: 180 },
  { label: '181–365', max: 365 },
  { label: '>365', max: Number.POSITIVE_INFINITY },
] as const;

const openStatuses: ReadonlySet<string> = new Set(['draft', 'sent', 'acknowledged']);

/**
 * Open trace requests (draft, sent or acknowledged) by addressee, with their
 * age on `asOf`: days since sent, or since recorded for a draft.
 */
export function openTraceRequests(facts: InvestigationFacts, asOf: string): OpenTraceRequests {
  const actors = actorMap(facts);
  const requests = facts.traceRequests
    .filter((request) => openStatuses.has(request.status))
    .map((request) => {
      const awaiting = awaitingAnswerStatuses.includes(request.status as TraceRequestStatus);
      const since = request.sent_on ?? request.created_at.toISOString().slice(0, 10);
      return {
        id: request.id,
        subject: request.subject,
        addressee_id: request.addressee_id,
        addressee_name: actors.get(request.addressee_id)?.name ?? '',
        status: request.status,
        sent_on: request.sent_on,
        due_on: request.due_on,
        age_days: Math.max(0, daysBetween(since, asOf)),
        overdue: awaiting && request.due_on !== null && request.due_on < asOf,
      };
    })
    .sort((a, b) => b.age_days - a.age_days || a.id.localeCompare(b.id));
  const byAddressee = new Map<string, typeof requests>();
  for (const request of requests) {
    byAddressee.set(request.addressee_id, [...(byAddressee.get(request.addressee_id) ?? []), request]);
  }
  return {
    as_of: asOf,
    age_buckets: ageBuckets.map((bucket) => bucket.label),
    total_open: requests.length,
    by_addressee: [...byAddressee.entries()]
      .map(([addresseeId, open]) => {
        const ages = open.map((request) => request.age_days).sort((a, b) => a - b);
        return {
          addressee_id: addresseeId,
          name: actors.get(addresseeId)?.name ?? '',
          country_code: actors.get(addresseeId)?.country_code ?? null,
          open: open.length,
          drafts: open.filter((request) => request.status === 'draft').length,
          awaiting_answer: open.filter((request) => request.status !== 'draft').length,
          overdue: open.filter((request) => request.overdue).length,
          oldest_days: ages.length === 0 ? null : ages[ages.length - 1]!,
          median_days: median(ages),
          buckets: ageBuckets.map(
            (bucket, index) =>
              ages.filter((age) => age <= bucket.max && (index === 0 || age > ageBuckets[index - 1]!.max)).length,
          ),
        };
      })
      .sort(
        byCountThenKey(
          (row) => row.open,
          (row) => row.name,
        ),
      ),
    requests,
  };
}
