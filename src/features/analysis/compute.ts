/**
 * The published figures, computed from an investigation's live records.
 * Pure functions: the same facts always give the same figures. The rules
 * (what is counted, from which claim) are written out in the report's
 * methods section; keep the two in step.
 */
import { awaitingAnswerStatuses, type TraceRequestStatus } from '../trace-requests/schema.js';
import { actorMap, byCountThenKey, daysBetween, median, ratio, type Item } from './figure-helpers.js';
import type { InvestigationFacts } from './repository.js';
import type { Categories, CraftClusters, OpenTraceRequests, ProductionSitesOverTime } from './schema.js';

export { daysBetween } from './figure-helpers.js';
export {
  attributeProduction,
  claimsByItem,
  exportToRecovery,
  productionCountries,
  yearBins,
  type ProductionAttribution,
} from './claim-figures.js';

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
