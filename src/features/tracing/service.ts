import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import {
  archiveVersioned,
  findById,
  findForUpdate,
  updateVersioned,
  type Queryable,
  type Tx,
} from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { archiveBodySchema, type ArchiveInput } from '../investigations/schema.js';
import { normalizeMarking } from '../markings/normalize.js';
import * as repository from './repository.js';
import {
  awaitingAnswerStatuses,
  createProvenanceClaimBodySchema,
  createTraceRequestBodySchema,
  linkItemBodySchema,
  nextStatuses,
  provenanceEventTypes,
  updateProvenanceClaimBodySchema,
  updateTraceRequestBodySchema,
  type Confidence,
  type CreateProvenanceClaimInput,
  type CreateTraceRequestInput,
  type ItemProvenance,
  type ItemProvenanceClaim,
  type LinkItemInput,
  type ProvenanceClaim,
  type ProvenanceClaimListQuery,
  type ProvenanceEventType,
  type TraceRequest,
  type TraceRequestListQuery,
  type TraceRequestStatus,
  type UpdateProvenanceClaimInput,
  type UpdateTraceRequestInput,
} from './schema.js';

/** Today's date in UTC, the calendar overdue requests are judged by. */
function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

// ================================================================ trace requests

export function isOverdue(row: { status: string; due_on: string | null }, today: string): boolean {
  return awaitingAnswerStatuses.includes(row.status as TraceRequestStatus) && row.due_on !== null && row.due_on < today;
}

/** Adds what a response shows beside the row: addressee name, covered items, overdue. */
async function describeTraceRequests(db: Queryable, rows: Row<'trace_requests'>[]): Promise<TraceRequest[]> {
  const names = await repository.findActorNames(db, [...new Set(rows.map((row) => row.addressee_id))]);
  const itemIds = await repository.findItemIds(
    db,
    rows.map((row) => row.id),
  );
  const today = todayUtc();
  return rows.map((row) => ({
    ...toJsonRecord(row),
    status: row.status as TraceRequestStatus,
    addressee_name: names.get(row.addressee_id) ?? '',
    item_ids: itemIds.get(row.id) ?? [],
    overdue: isOverdue(row, today),
  }));
}

async function describeTraceRequest(db: Queryable, row: Row<'trace_requests'>): Promise<TraceRequest> {
  const [described] = await describeTraceRequests(db, [row]);
  return described!;
}

function requireDueNotBeforeSent(sentOn: string | null, dueOn: string | null): void {
  if (sentOn !== null && dueOn !== null && dueOn < sentOn) {
    throw new DomainError('constraint_violated', `The due date ${dueOn} is before the date sent ${sentOn}.`, [
      { field: 'due_on', message: 'cannot be before sent_on' },
    ]);
  }
}

function requireAllowedTransition(from: TraceRequestStatus, to: TraceRequestStatus): void {
  if (from === to || nextStatuses[from].includes(to)) return;
  const allowed = nextStatuses[from];
  const next = allowed.length === 0 ? 'no other status' : allowed.join(', ');
  throw new DomainError('constraint_violated', `A ${from} trace request cannot become ${to}; it can become: ${next}.`, [
    { field: 'status', message: `allowed next states: ${next}` },
  ]);
}

/** Links one item to a request inside the caller's transaction, audited as its own change. */
async function linkItem(trx: Tx, user: Actor, request: Row<'trace_requests'>, itemId: string): Promise<void> {
  if ((await repository.findTraceRequestItem(trx, request.id, itemId)) !== undefined) {
    throw new DomainError('already_exists', `Item ${itemId} is already covered by trace request ${request.id}.`, [
      { field: 'item_id', message: 'already linked' },
    ]);
  }
  const link = await repository.insertTraceRequestItem(trx, {
    trace_request_id: request.id,
    item_id: itemId,
    investigation_id: request.investigation_id,
  });
  await recordChange(trx, user, {
    action: 'trace_request.link_item',
    entityType: 'trace_request_items',
    entityId: request.id,
    investigationId: request.investigation_id,
    after: { trace_request_id: link.trace_request_id, item_id: link.item_id },
  });
}

/**
 * Records a request to an actor (usually a manufacturer or exporting state)
 * to trace items or a lot. Starts as a draft unless another status is given;
 * marking it sent without a date records today.
 *
 * @example
 * const request = await createTraceRequest(db, user, investigationId, {
 *   addressee_id: manufacturer.id, subject: 'Lot 12-34 cartridges', lot_marking: '12-34',
 *   status: 'sent', due_on: '2024-06-30', item_ids: [item.id],
 * });
 */
export async function createTraceRequest(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  input: CreateTraceRequestInput,
): Promise<TraceRequest> {
  const parsed = createTraceRequestBodySchema.parse(input);
  const sentOn = parsed.sent_on ?? (parsed.status === 'sent' ? todayUtc() : null);
  const dueOn = parsed.due_on ?? null;
  requireDueNotBeforeSent(sentOn, dueOn);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, user, investigationId, 'investigator');
    const now = new Date();
    const row = await repository.insertTraceRequest(trx, {
      id: uuidv7(),
      investigation_id: investigationId,
      addressee_id: parsed.addressee_id,
      subject: parsed.subject,
      lot_marking: parsed.lot_marking ?? null,
      status: parsed.status,
      sent_on: sentOn,
      due_on: dueOn,
      response_text: parsed.response_text ?? null,
      created_by: user.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, user, {
      action: 'trace_request.create',
      entityType: 'trace_requests',
      entityId: row.id,
      investigationId,
      after: row,
    });
    for (const itemId of new Set(parsed.item_ids)) await linkItem(trx, user, row, itemId);
    return describeTraceRequest(trx, row);
  });
}

/** Trace requests of an investigation; `overdue` keeps those awaiting an answer past their due date. */
export async function listTraceRequests(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  query: TraceRequestListQuery,
): Promise<Page<TraceRequest>> {
  await requireRole(db, user, investigationId, 'viewer');
  const rows = await repository.listTraceRequests(db, {
    investigationId,
    after: query.after,
    limit: query.limit,
    includeArchived: query.include_archived,
    status: query.status,
    addresseeId: query.addressee_id,
    overdueOn: query.overdue ? todayUtc() : undefined,
    awaitingAnswerStatuses,
  });
  const page = toPage(rows, query.limit, (row) => row);
  return { items: await describeTraceRequests(db, page.items), next_after: page.next_after };
}

export async function getTraceRequest(db: Kysely<DB>, user: Actor, id: string): Promise<TraceRequest> {
  const row = await findById(db, 'trace_requests', id);
  await requireRole(db, user, row.investigation_id, 'viewer');
  return describeTraceRequest(db, row);
}

/** Updates a request; a status change must follow the workflow in `nextStatuses`. */
export async function updateTraceRequest(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: UpdateTraceRequestInput,
): Promise<TraceRequest> {
  const { version, ...changes } = updateTraceRequestBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'trace_requests', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    if (changes.status !== undefined) {
      requireAllowedTransition(before.status as TraceRequestStatus, changes.status);
      if (changes.status === 'sent' && changes.sent_on === undefined && before.sent_on === null) {
        changes.sent_on = todayUtc();
      }
    }
    requireDueNotBeforeSent(
      changes.sent_on === undefined ? before.sent_on : changes.sent_on,
      changes.due_on === undefined ? before.due_on : changes.due_on,
    );
    const after = await updateVersioned(trx, 'trace_requests', before, version, changes);
    await recordChange(trx, user, {
      action: 'trace_request.update',
      entityType: 'trace_requests',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return describeTraceRequest(trx, after);
  });
}

export async function archiveTraceRequest(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: ArchiveInput,
): Promise<TraceRequest> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'trace_requests', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    const after = await archiveVersioned(trx, 'trace_requests', before, parsed.version, parsed.reason);
    await recordChange(trx, user, {
      action: 'trace_request.archive',
      entityType: 'trace_requests',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return describeTraceRequest(trx, after);
  });
}

/** Adds an item of the same investigation to the items a request covers. */
export async function linkTraceRequestItem(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: LinkItemInput,
): Promise<TraceRequest> {
  const parsed = linkItemBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const request = await findForUpdate(trx, 'trace_requests', id);
    const access = await requireRole(trx, user, request.investigation_id, 'investigator');
    requireCanEdit(access, user, request);
    if (request.archived_at !== null) {
      throw new DomainError('archived', `Trace request ${id} is archived and can no longer be changed.`);
    }
    await linkItem(trx, user, request, parsed.item_id);
    return describeTraceRequest(trx, request);
  });
}

// ================================================================ provenance claims

function toProvenanceClaim(row: Row<'provenance_claims'>): ProvenanceClaim {
  return {
    ...toJsonRecord(row),
    event_type: row.event_type as ProvenanceEventType,
    confidence: row.confidence as Confidence,
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
    await requireRole(trx, user, investigationId, 'investigator');
    const now = new Date();
    const lotMarking = parsed.lot_marking ?? null;
    const row = await repository.insertProvenanceClaim(trx, {
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
  await requireRole(db, user, investigationId, 'viewer');
  const rows = await repository.listProvenanceClaims(db, {
    investigationId,
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
  await requireRole(db, user, row.investigation_id, 'viewer');
  return toProvenanceClaim(row);
}

export async function updateProvenanceClaim(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: UpdateProvenanceClaimInput,
): Promise<ProvenanceClaim> {
  const { version, ...changes } = updateProvenanceClaimBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'provenance_claims', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
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
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'provenance_claims', id);
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    const after = await archiveVersioned(trx, 'provenance_claims', before, parsed.version, parsed.reason);
    await recordChange(trx, user, {
      action: 'provenance_claim.archive',
      entityType: 'provenance_claims',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toProvenanceClaim(after);
  });
}

const eventRank = new Map<string, number>(provenanceEventTypes.map((eventType, index) => [eventType, index]));

/** Event order first, then the earliest known date (undated last), then creation order. */
function compareClaims(a: ProvenanceClaim, b: ProvenanceClaim): number {
  const byEvent = (eventRank.get(a.event_type) ?? 0) - (eventRank.get(b.event_type) ?? 0);
  if (byEvent !== 0) return byEvent;
  const dateA = a.occurred_from ?? a.occurred_to;
  const dateB = b.occurred_from ?? b.occurred_to;
  if (dateA !== dateB) {
    if (dateA === null) return 1;
    if (dateB === null) return -1;
    return dateA < dateB ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The provenance of one item: the claims about it, plus the claims about any
 * lot marking it carries (each naming that marking in `inherited_from_lot`),
 * in the order events happen: produced, exported, transferred, diverted, recovered.
 */
export async function getItemProvenance(db: Kysely<DB>, user: Actor, itemId: string): Promise<ItemProvenance> {
  const item = await findById(db, 'items', itemId);
  await requireRole(db, user, item.investigation_id, 'viewer');
  const lots = await repository.listLotMarkings(db, itemId);
  const lotTextByNormalized = new Map<string, string>();
  for (const lot of lots)
    if (!lotTextByNormalized.has(lot.normalized)) lotTextByNormalized.set(lot.normalized, lot.text);
  const rows = await repository.listClaimsForItemOrLots(db, {
    investigationId: item.investigation_id,
    itemId,
    lotsNormalized: [...lotTextByNormalized.keys()],
  });
  const claims: ItemProvenanceClaim[] = rows.map((row) => ({
    ...toProvenanceClaim(row),
    inherited_from_lot:
      row.item_id === itemId || row.lot_normalized === null
        ? null
        : (lotTextByNormalized.get(row.lot_normalized) ?? row.lot_marking),
  }));
  claims.sort(compareClaims);
  return { item_id: itemId, claims };
}
