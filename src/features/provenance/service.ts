import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById, findForUpdate, updateVersioned, type Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import { normalizeMarking } from '../../parsing/marking-text.js';
import { gradingOf } from '../sources/service.js';
import { toProvDocument, type ProvDocument } from './prov-json.js';
import { compareClaims, findConflicts } from './claim-comparison.js';
import * as repository from './repository.js';
import {
  createProvenanceClaimBodySchema,
  updateProvenanceClaimBodySchema,
  type Confidence,
  type LotProvenance,
  type CreateProvenanceClaimInput,
  type ItemProvenance,
  type ItemProvenanceClaim,
  type ProvenanceClaim,
  type ProvenanceClaimListQuery,
  type ProvenanceEventType,
  type UpdateProvenanceClaimInput,
} from './schema.js';
import type { SensitivityLevel } from '../sensitivity/schema.js';
import {
  clearanceForRole,
  isVisibleAt,
  requireReader,
  requireVisible,
  sensitivityForInsert,
  sensitivityPatch,
} from '../sensitivity/service.js';

/** A claim may be about an item only the writer can see; one above the clearance is answered as unknown. */
async function requireVisibleItem(db: Queryable, itemId: string, clearance: SensitivityLevel): Promise<void> {
  const item = await db.selectFrom('items').select('sensitivity').where('id', '=', itemId).executeTakeFirst();
  if (item !== undefined && !isVisibleAt(clearance, item.sensitivity)) {
    throw new DomainError('reference_invalid', `Item ${itemId} does not exist or you cannot see it.`, [
      { field: 'item_id', message: 'no such item in this investigation', code: 'unknown_reference' },
    ]);
  }
}

// ================================================================ provenance claims

function toProvenanceClaim(row: Row<'provenance_claims'>): ProvenanceClaim {
  return {
    ...toJsonRecord(row),
    event_type: row.event_type as ProvenanceEventType,
    confidence: row.confidence as Confidence,
    sensitivity: row.sensitivity as SensitivityLevel,
  };
}

/** The lot in the comparable form markings use, so a claim reaches every item carrying the lot. */
function normalizeLot(lotMarking: string | null): string | null {
  return lotMarking === null ? null : normalizeMarking(lotMarking);
}

/**
 * Records a claim about the history of one item or of a whole lot (exactly
 * one of `item_id` and `lot_marking`). A lot claim applies to every item of
 * the investigation that carries a lot marking of the same normalized form.
 *
 * @example
 * await createProvenanceClaim(db, user, investigationId, {
 *   lot_marking: '12-34', event_type: 'exported', actor_id: state.id, counterpart_id: recipient.id,
 *   occurred_from: '2015-01-01', occurred_to: '2015-12-31', confidence: 'probable',
 * });
 */
export async function createProvenanceClaim(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  input: CreateProvenanceClaimInput,
): Promise<ProvenanceClaim> {
  const parsed = createProvenanceClaimBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const access = await requireRole(trx, user, investigationId, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, investigationId);
    const sensitivity = sensitivityForInsert(parsed, clearance);
    if (parsed.item_id != null) await requireVisibleItem(trx, parsed.item_id, clearance);
    const now = new Date();
    const lotMarking = parsed.lot_marking ?? null;
    const row = await repository.insertProvenanceClaim(trx, {
      ...sensitivity,
      id: uuidv7(),
      investigation_id: investigationId,
      item_id: parsed.item_id ?? null,
      lot_marking: lotMarking,
      lot_normalized: normalizeLot(lotMarking),
      event_type: parsed.event_type,
      actor_id: parsed.actor_id ?? null,
      counterpart_id: parsed.counterpart_id ?? null,
      occurred_from: parsed.occurred_from ?? null,
      occurred_to: parsed.occurred_to ?? null,
      place: parsed.place ?? null,
      source_id: parsed.source_id ?? null,
      trace_request_id: parsed.trace_request_id ?? null,
      confidence: parsed.confidence,
      notes: parsed.notes,
      created_by: user.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, user, {
      action: 'provenance_claim.create',
      entityType: 'provenance_claims',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toProvenanceClaim(row);
  });
}

/** Claims of an investigation; `lot_marking` matches any spelling with the same normalized form. */
export async function listProvenanceClaims(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  query: ProvenanceClaimListQuery,
): Promise<Page<ProvenanceClaim>> {
  const { clearance } = await requireReader(db, user, investigationId);
  const rows = await repository.listProvenanceClaims(db, {
    investigationId,
    clearance,
    after: query.after,
    limit: query.limit,
    includeArchived: query.include_archived,
    itemId: query.item_id,
    lotNormalized: query.lot_marking === undefined ? undefined : normalizeMarking(query.lot_marking),
    eventType: query.event_type,
  });
  return toPage(rows, query.limit, toProvenanceClaim);
}

export async function getProvenanceClaim(db: Kysely<DB>, user: Actor, id: string): Promise<ProvenanceClaim> {
  const row = await findById(db, 'provenance_claims', id);
  const { clearance } = await requireReader(db, user, row.investigation_id);
  requireVisible(clearance, row, 'Provenance claim');
  if (row.item_id !== null) {
    const item = await findById(db, 'items', row.item_id);
    requireVisible(clearance, { id, sensitivity: item.sensitivity }, 'Provenance claim');
  }
  return toProvenanceClaim(row);
}

export async function updateProvenanceClaim(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: UpdateProvenanceClaimInput,
): Promise<ProvenanceClaim> {
  const parsed = updateProvenanceClaimBodySchema.parse(input);
  const { version, sensitivity: _sensitivity, sensitivity_reason: _reason, ...changes } = parsed;
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'provenance_claims', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    const clearance = await clearanceForRole(trx, access.role, before.investigation_id);
    requireVisible(clearance, before, 'Provenance claim');
    requireCanEdit(access, user, before);
    if (changes.item_id != null && changes.item_id !== before.item_id) {
      await requireVisibleItem(trx, changes.item_id, clearance);
    }
    const itemId = changes.item_id === undefined ? before.item_id : changes.item_id;
    const lotMarking = changes.lot_marking === undefined ? before.lot_marking : changes.lot_marking;
    if ((itemId === null) === (lotMarking === null)) {
      const field = changes.lot_marking === undefined ? 'item_id' : 'lot_marking';
      throw new DomainError(
        'constraint_violated',
        'A claim is about exactly one item or one lot: set the other of item_id and lot_marking to null.',
        [{ field, message: 'give exactly one of item_id and lot_marking' }],
      );
    }
    const occurredFrom = changes.occurred_from === undefined ? before.occurred_from : changes.occurred_from;
    const occurredTo = changes.occurred_to === undefined ? before.occurred_to : changes.occurred_to;
    if (occurredFrom !== null && occurredTo !== null && occurredTo < occurredFrom) {
      throw new DomainError(
        'constraint_violated',
        `The range ends (${occurredTo}) before it starts (${occurredFrom}).`,
        [{ field: 'occurred_to', message: 'cannot be before occurred_from' }],
      );
    }
    const after = await updateVersioned(trx, 'provenance_claims', before, version, {
      ...changes,
      ...sensitivityPatch(parsed, before, clearance),
      ...(changes.lot_marking === undefined ? {} : { lot_normalized: normalizeLot(changes.lot_marking) }),
    });
    await recordChange(trx, user, {
      action: 'provenance_claim.update',
      entityType: 'provenance_claims',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toProvenanceClaim(after);
  });
}

export async function archiveProvenanceClaim(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: ArchiveInput,
): Promise<ProvenanceClaim> {
  return archiveAudited(db, user, { table: 'provenance_claims', id, action: 'provenance_claim.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, user, before.investigation_id, 'investigator');
      requireVisible(await clearanceForRole(trx, access.role, before.investigation_id), before, 'Provenance claim');
      requireCanEdit(access, user, before);
    },
    present: (_trx, after) => toProvenanceClaim(after),
  });
}

/**
 * The provenance of one item: the claims about it, plus the claims about any
 * lot marking it carries (each naming that marking in `inherited_from_lot`),
 * in the order events happen: produced, exported, transferred, diverted, recovered.
 */
export async function getItemProvenance(db: Kysely<DB>, user: Actor, itemId: string): Promise<ItemProvenance> {
  const item = await findById(db, 'items', itemId);
  const { clearance } = await requireReader(db, user, item.investigation_id);
  requireVisible(clearance, item, 'Item');
  const lots = await repository.listLotMarkings(db, itemId, clearance);
  const lotTextByNormalized = new Map<string, string>();
  for (const lot of lots)
    if (!lotTextByNormalized.has(lot.normalized)) lotTextByNormalized.set(lot.normalized, lot.text);
  const rows = await repository.listClaimsForItemOrLots(db, {
    investigationId: item.investigation_id,
    itemId,
    lotsNormalized: [...lotTextByNormalized.keys()],
    clearance,
  });
  const conflicts = findConflicts(rows);
  const claims: ItemProvenanceClaim[] = rows.map((row) => ({
    ...toProvenanceClaim(row),
    inherited_from_lot:
      row.item_id === itemId || row.lot_normalized === null
        ? null
        : (lotTextByNormalized.get(row.lot_normalized) ?? row.lot_marking),
    conflicts_with: conflicts.get(row.id) ?? [],
  }));
  claims.sort(compareClaims);
  return { item_id: itemId, claims };
}

/**
 * The provenance of every item carrying a lot (any spelling with the same
 * normalized form): the items, wherever they were found, and the claims about
 * the lot in event order, contradictions marked.
 */
export async function getLotProvenance(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  lotMarking: string,
): Promise<LotProvenance> {
  const { clearance } = await requireReader(db, user, investigationId);
  const lotNormalized = normalizeMarking(lotMarking);
  const items = await repository.listItemsCarryingLot(db, investigationId, lotNormalized, clearance);
  const rows = await repository.listClaimsForLot(db, investigationId, lotNormalized, clearance);
  const conflicts = findConflicts(rows);
  const claims = rows.map((row) => ({ ...toProvenanceClaim(row), conflicts_with: conflicts.get(row.id) ?? [] }));
  claims.sort(compareClaims);
  return { lot_marking: lotMarking, lot_normalized: lotNormalized, items, claims };
}

/**
 * An item's provenance as a W3C PROV-JSON document: the item, the lots it
 * carries, each claim as an activity with its actors and evidence.
 *
 * @example
 * const document = await exportItemProvenance(db, user, itemId);
 * fs.writeFileSync('item.prov.json', JSON.stringify(document, null, 2));
 */
export async function exportItemProvenance(db: Kysely<DB>, user: Actor, itemId: string): Promise<ProvDocument> {
  const provenance = await getItemProvenance(db, user, itemId);
  const item = await findById(db, 'items', itemId);
  const { clearance } = await requireReader(db, user, item.investigation_id);
  const lots = await repository.listLotMarkings(db, itemId, clearance);
  const idsOf = (pick: (claim: ProvenanceClaim) => (string | null)[]) => [
    ...new Set(provenance.claims.flatMap(pick).filter((id): id is string => id !== null)),
  ];
  const actors = await repository.findActors(
    db,
    idsOf((claim) => [claim.actor_id, claim.counterpart_id]),
  );
  const sources = await repository.findSources(
    db,
    idsOf((claim) => [claim.source_id]),
  );
  const traceRequests = await repository.findTraceRequests(
    db,
    idsOf((claim) => [claim.trace_request_id]),
  );
  return toProvDocument({
    item,
    lots,
    claims: provenance.claims,
    actors,
    sources: sources.map((source) => ({
      id: source.id,
      kind: source.kind,
      title: source.title,
      url: source.url,
      grading: gradingOf(source.reliability, source.credibility),
    })),
    traceRequests,
  });
}
