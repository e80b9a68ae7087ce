import type { ProvenanceClaim } from '../../api/client';
import { eventTypes, type EventType } from '../trace-requests/vocabulary';

/** A claim as the timeline shows it: an item's (with its origin) or a lot's. */
export type TimelineClaim = Omit<ProvenanceClaim, 'inherited_from_lot'> & { inherited_from_lot?: string | null };

export interface Stage<Claim> {
  eventType: EventType;
  claims: Claim[];
}

/**
 * The chain in the order things happen to materiel (produced → exported → transferred → diverted → recovered), each
 * stage with its claims by earliest date (undated last); stages nobody claimed are kept, empty, so a gap shows.
 *
 * @example
 * stages(claims).map((stage) => stage.eventType) // ['produced', 'exported', 'transferred', 'diverted', 'recovered']
 */
export function stages<Claim extends Pick<TimelineClaim, 'event_type' | 'occurred_from' | 'occurred_to' | 'id'>>(
  claims: readonly Claim[],
): Stage<Claim>[] {
  const dateOf = (claim: Claim) => claim.occurred_from ?? claim.occurred_to ?? '9999-12-31';
  return eventTypes.map((eventType) => ({
    eventType,
    claims: claims
      .filter((claim) => claim.event_type === eventType)
      .sort((a, b) => dateOf(a).localeCompare(dateOf(b)) || a.id.localeCompare(b.id)),
  }));
}

/**
 * Each contradiction once, as a pair of claims (the server names, for every claim, the claims of the same event it
 * contradicts: another actor, or dates that cannot both be true). Both claims are kept and shown; none is merged.
 */
export function contradictions<Claim extends Pick<TimelineClaim, 'id' | 'conflicts_with'>>(
  claims: readonly Claim[],
): [Claim, Claim][] {
  const byId = new Map(claims.map((claim) => [claim.id, claim]));
  const pairs: [Claim, Claim][] = [];
  for (const claim of claims) {
    for (const otherId of claim.conflicts_with) {
      const other = byId.get(otherId);
      if (other !== undefined && claim.id < otherId) pairs.push([claim, other]);
    }
  }
  return pairs;
}
