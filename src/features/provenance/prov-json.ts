/**
 * W3C PROV-JSON (https://www.w3.org/submissions/prov-json/) for the
 * provenance of one item. Each claim is a PROV activity: a 'produced' claim
 * generated the item (or its lot), the other events used it; actors are
 * agents associated with the activity in the role of actor or counterpart;
 * sources and trace requests cited as evidence influenced the activity. A lot
 * is a collection the item is a member of, so claims about the lot reach the
 * item the way they do in armtrace. Internal notes are never exported.
 */
import type { ItemProvenanceClaim } from './schema.js';

export const ARMTRACE_NAMESPACE = 'https://armtrace.org/ns/prov#';

type Literal = string | number | { $: string; type: string } | string[];
type Record_ = Record<string, Literal>;

export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, Record_>;
  activity: Record<string, Record_>;
  agent: Record<string, Record_>;
  wasGeneratedBy: Record<string, Record_>;
  used: Record<string, Record_>;
  wasAssociatedWith: Record<string, Record_>;
  hadMember: Record<string, Record_>;
  wasInfluencedBy: Record<string, Record_>;
}

export interface ProvInput {
  item: { id: string; investigation_id: string; external_ref: string | null; category: string; model: string | null };
  lots: { text: string; normalized: string }[];
  claims: ItemProvenanceClaim[];
  actors: { id: string; name: string; actor_type: string; country_code: string | null }[];
  sources: { id: string; kind: string; title: string; grading: string | null; url: string | null }[];
  traceRequests: { id: string; subject: string; status: string }[];
}

const qualifiedName = (name: string) => ({ $: name, type: 'prov:QUALIFIED_NAME' });
const date = (value: string) => ({ $: value, type: 'xsd:date' });

function lotId(investigationId: string, normalized: string): string {
  return `armtrace:lot-${investigationId}-${encodeURIComponent(normalized)}`;
}

/**
 * Builds the PROV-JSON document of one item's provenance.
 *
 * @example
 * const document = toProvDocument({ item, lots, claims, actors, sources, traceRequests });
 * JSON.stringify(document); // {"prefix":{"armtrace":…,"uuid":"urn:uuid:"},"entity":{"uuid:…":…},…}
 */
export function toProvDocument(input: ProvInput): ProvDocument {
  const document: ProvDocument = {
    prefix: { armtrace: ARMTRACE_NAMESPACE, uuid: 'urn:uuid:' },
    entity: {},
    activity: {},
    agent: {},
    wasGeneratedBy: {},
    used: {},
    wasAssociatedWith: {},
    hadMember: {},
    wasInfluencedBy: {},
  };
  let relationCount = 0;
  const relationId = () => `_:r${(relationCount += 1)}`;

  const itemId = `uuid:${input.item.id}`;
  document.entity[itemId] = {
    'prov:type': qualifiedName('armtrace:Item'),
    'prov:label': input.item.external_ref ?? input.item.model ?? input.item.category,
    'armtrace:category': input.item.category,
    ...(input.item.model === null ? {} : { 'armtrace:model': input.item.model }),
  };
  const lotEntityByText = new Map<string, string>();
  for (const lot of input.lots) {
    const id = lotId(input.item.investigation_id, lot.normalized);
    lotEntityByText.set(lot.text, id);
    if (document.entity[id] !== undefined) continue;
    document.entity[id] = { 'prov:type': qualifiedName('prov:Collection'), 'prov:label': `lot ${lot.text}` };
    document.hadMember[relationId()] = { 'prov:collection': id, 'prov:entity': itemId };
  }

  for (const actor of input.actors) {
    document.agent[`uuid:${actor.id}`] = {
      'prov:type': qualifiedName('prov:Organization'),
      'prov:label': actor.name,
      'armtrace:actorType': actor.actor_type,
      ...(actor.country_code === null ? {} : { 'armtrace:country': actor.country_code }),
    };
  }
  for (const source of input.sources) {
    document.entity[`uuid:${source.id}`] = {
      'prov:type': qualifiedName('armtrace:Source'),
      // An interview's title may name the person interviewed; only the kind is exported.
      'prov:label': source.kind === 'interview' ? 'Interview' : source.title,
      'armtrace:sourceKind': source.kind,
      ...(source.grading === null ? {} : { 'armtrace:grading': source.grading }),
      ...(source.url === null || source.kind === 'interview' ? {} : { 'prov:location': source.url }),
    };
  }
  for (const request of input.traceRequests) {
    document.entity[`uuid:${request.id}`] = {
      'prov:type': qualifiedName('armtrace:TraceRequest'),
      'prov:label': request.subject,
      'armtrace:status': request.status,
    };
  }

  for (const claim of input.claims) {
    const activityId = `uuid:${claim.id}`;
    document.activity[activityId] = {
      'prov:type': qualifiedName(`armtrace:${claim.event_type}`),
      'prov:label': claim.event_type,
      'armtrace:confidence': claim.confidence,
      ...(claim.occurred_from === null ? {} : { 'armtrace:occurredFrom': date(claim.occurred_from) }),
      ...(claim.occurred_to === null ? {} : { 'armtrace:occurredTo': date(claim.occurred_to) }),
      ...(claim.place === null ? {} : { 'prov:location': claim.place }),
      ...(claim.inherited_from_lot === null ? {} : { 'armtrace:inheritedFromLot': claim.inherited_from_lot }),
      ...(claim.conflicts_with.length === 0
        ? {}
        : { 'armtrace:conflictsWith': claim.conflicts_with.map((id) => `uuid:${id}`) }),
    };
    const subject =
      claim.inherited_from_lot === null ? itemId : (lotEntityByText.get(claim.inherited_from_lot) ?? itemId);
    if (claim.event_type === 'produced') {
      document.wasGeneratedBy[relationId()] = { 'prov:entity': subject, 'prov:activity': activityId };
    } else {
      document.used[relationId()] = { 'prov:activity': activityId, 'prov:entity': subject };
    }
    for (const [agentId, role] of [
      [claim.actor_id, 'armtrace:actor'],
      [claim.counterpart_id, 'armtrace:counterpart'],
    ] as const) {
      if (agentId === null) continue;
      document.wasAssociatedWith[relationId()] = {
        'prov:activity': activityId,
        'prov:agent': `uuid:${agentId}`,
        'prov:role': qualifiedName(role),
      };
    }
    for (const evidenceId of [claim.source_id, claim.trace_request_id]) {
      if (evidenceId === null) continue;
      document.wasInfluencedBy[relationId()] = {
        'prov:influencee': activityId,
        'prov:influencer': `uuid:${evidenceId}`,
        'prov:type': qualifiedName('armtrace:evidence'),
      };
    }
  }
  return document;
}
