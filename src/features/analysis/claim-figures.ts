/**
 * The figures read from provenance claims: where each item was produced (its own claims and its lot's) and the time
 * from lawful export, or production, to recovery. Pure functions, like the rest of compute.ts (which re-exports
 * them); the rules are written out in the report's methods section.
 */
import { claimDateRange, confidenceWeight } from '../provenance/claim-comparison.js';
import { actorMap, byCountThenKey, daysBetween, median, ratio, round2, type Claim } from './figure-helpers.js';
import type { InvestigationFacts } from './repository.js';
import type { ExportToRecovery, ProductionCountries } from './schema.js';

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
