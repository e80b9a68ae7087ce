import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { canonicalJson, toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById, findForUpdate, updateVersioned, type Queryable, type Tx } from '../../db/versioned.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import { neutralizeBidiControls } from '../../parsing/display-text.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import { archiveBodySchema, type ArchiveInput } from '../../http/params.js';
import { clearanceFor } from '../sensitivity/service.js';
import * as repository from './repository.js';
import {
  attachDocumentBodySchema,
  awaitingAnswerStatuses,
  createTraceRequestBodySchema,
  linkItemBodySchema,
  nextStatuses,
  updateTraceRequestBodySchema,
  type AttachDocumentInput,
  type DocumentListQuery,
  type HistoryEntry,
  type Reminders,
  type RemindersQuery,
  type TraceRequestDocument,
  type TraceRequestDocumentKind,
  type TraceRequestHistory,
  type CreateTraceRequestInput,
  type LinkItemInput,
  type TraceRequest,
  type TraceRequestListQuery,
  type TraceRequestStatus,
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
async function describeTraceRequests(
  db: Queryable,
  reader: Actor,
  rows: Row<'trace_requests'>[],
): Promise<TraceRequest[]> {
  const names = await repository.findActorNames(db, [...new Set(rows.map((row) => row.addressee_id))]);
  // The rows are of one investigation; the covered items are only those the reader may see.
  const clearance = rows.length === 0 ? 'internal' : await clearanceFor(db, reader, rows[0]!.investigation_id);
  const itemIds = await repository.findItemIds(
    db,
    rows.map((row) => row.id),
    clearance,
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

async function describeTraceRequest(db: Queryable, reader: Actor, row: Row<'trace_requests'>): Promise<TraceRequest> {
  const [described] = await describeTraceRequests(db, reader, [row]);
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
export async function linkItem(trx: Tx, user: Actor, request: Row<'trace_requests'>, itemId: string): Promise<void> {
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
    return describeTraceRequest(trx, user, row);
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
    sort: query.sort,
    order: query.order,
    includeArchived: query.include_archived,
    status: query.status,
    addresseeId: query.addressee_id,
    overdueOn: query.overdue ? todayUtc() : undefined,
    today: todayUtc(),
    awaitingAnswerStatuses,
  });
  const page = toPage(rows, query.limit, (row) => row);
  return { items: await describeTraceRequests(db, user, page.items), next_after: page.next_after };
}

export async function getTraceRequest(db: Kysely<DB>, user: Actor, id: string): Promise<TraceRequest> {
  const row = await findById(db, 'trace_requests', id);
  await requireRole(db, user, row.investigation_id, 'viewer');
  return describeTraceRequest(db, user, row);
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
    return describeTraceRequest(trx, user, after);
  });
}

export async function archiveTraceRequest(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: ArchiveInput,
): Promise<TraceRequest> {
  return archiveAudited(db, user, { table: 'trace_requests', id, action: 'trace_request.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, user, before.investigation_id, 'investigator');
      requireCanEdit(access, user, before);
    },
    present: (trx, after) => describeTraceRequest(trx, user, after),
  });
}

/** The request, locked for this transaction, once `user` may change it and it is not archived. */
export async function findEditableRequest(trx: Tx, user: Actor, id: string): Promise<Row<'trace_requests'>> {
  const request = await findForUpdate(trx, 'trace_requests', id);
  const access = await requireRole(trx, user, request.investigation_id, 'investigator');
  requireCanEdit(access, user, request);
  if (request.archived_at !== null) {
    throw new DomainError('archived', `Trace request ${id} is archived and can no longer be changed.`);
  }
  return request;
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
    const request = await findEditableRequest(trx, user, id);
    await linkItem(trx, user, request, parsed.item_id);
    return describeTraceRequest(trx, user, request);
  });
}

/**
 * Removes an item from those a request covers (a link made in error). The
 * audit log keeps both the link and its removal, with who and when.
 *
 * @example
 * await unlinkTraceRequestItem(db, user, request.id, wronglyLinkedItemId);
 */
export async function unlinkTraceRequestItem(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  itemId: string,
): Promise<TraceRequest> {
  return db.transaction().execute(async (trx) => {
    const request = await findEditableRequest(trx, user, id);
    if (!(await repository.deleteTraceRequestItem(trx, id, itemId))) {
      throw new DomainError('not_found', `Item ${itemId} is not covered by trace request ${id}.`);
    }
    await recordChange(trx, user, {
      action: 'trace_request.unlink_item',
      entityType: 'trace_request_items',
      entityId: id,
      investigationId: request.investigation_id,
      before: { trace_request_id: id, item_id: itemId },
    });
    return describeTraceRequest(trx, user, request);
  });
}

// ================================================================ reminders, documents, history

/** Whole days from one 'YYYY-MM-DD' to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The requests to remind their addressees of: still awaiting an answer (sent
 * or acknowledged) and past their due date on `as_of` (today by default),
 * most overdue first, each with the days overdue.
 *
 * @example
 * const { items } = await listReminders(db, user, investigationId, {});
 * items[0]?.days_overdue; // 41
 */
export async function listReminders(
  db: Kysely<DB>,
  user: Actor,
  investigationId: string,
  query: RemindersQuery,
): Promise<Reminders> {
  await requireRole(db, user, investigationId, 'viewer');
  const asOf = query.as_of ?? todayUtc();
  const rows = await repository.listOverdueTraceRequests(db, { investigationId, asOf, awaitingAnswerStatuses });
  const described = await describeTraceRequests(db, user, rows);
  return {
    as_of: asOf,
    items: described.map((request) => ({
      ...request,
      days_overdue: daysBetween(request.due_on!, asOf),
      days_since_sent: request.sent_on === null ? null : daysBetween(request.sent_on, asOf),
    })),
  };
}

/** As shown: the file name's bidirectional controls written out (the media row keeps it as given). */
function toDocument(row: repository.DocumentRow): TraceRequestDocument {
  const document = { ...toJsonRecord(row), kind: row.kind as TraceRequestDocumentKind };
  return {
    ...document,
    original_filename: document.original_filename === null ? null : neutralizeBidiControls(document.original_filename),
  };
}

/**
 * Attaches a media record (the letter sent, the answer received, a reminder,
 * an annex) to a trace request of the same investigation.
 *
 * @example
 * await attachTraceRequestDocument(db, user, request.id, { media_id: scan.id, kind: 'response' });
 */
export async function attachTraceRequestDocument(
  db: Kysely<DB>,
  user: Actor,
  traceRequestId: string,
  input: AttachDocumentInput,
): Promise<TraceRequestDocument> {
  const parsed = attachDocumentBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const request = await findEditableRequest(trx, user, traceRequestId);
    if ((await repository.findActiveDocument(trx, traceRequestId, parsed.media_id)) !== undefined) {
      throw new DomainError(
        'already_exists',
        `Media ${parsed.media_id} is already attached to trace request ${traceRequestId}.`,
        [{ field: 'media_id', message: 'already attached' }],
      );
    }
    const now = new Date();
    const row = await repository.insertDocument(trx, {
      id: uuidv7(),
      investigation_id: request.investigation_id,
      trace_request_id: traceRequestId,
      media_id: parsed.media_id,
      kind: parsed.kind,
      description: parsed.description,
      created_by: user.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, user, {
      action: 'trace_request.attach_document',
      entityType: 'trace_request_documents',
      entityId: row.id,
      investigationId: request.investigation_id,
      after: row,
    });
    const [document] = await repository.listDocuments(trx, { traceRequestId, includeArchived: true, ids: [row.id] });
    return toDocument(document!);
  });
}

export async function listTraceRequestDocuments(
  db: Kysely<DB>,
  user: Actor,
  traceRequestId: string,
  query: DocumentListQuery,
): Promise<{ items: TraceRequestDocument[] }> {
  const request = await findById(db, 'trace_requests', traceRequestId);
  await requireRole(db, user, request.investigation_id, 'viewer');
  const rows = await repository.listDocuments(db, { traceRequestId, includeArchived: query.include_archived });
  return { items: rows.map(toDocument) };
}

/** Detaches a document from its request: the link is archived with the reason; the media record stays. */
export async function archiveTraceRequestDocument(
  db: Kysely<DB>,
  user: Actor,
  id: string,
  input: ArchiveInput,
): Promise<TraceRequestDocument> {
  const parsed = archiveBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await repository.lockDocument(trx, id);
    if (before === undefined) {
      throw new NotVisibleError(`Trace request document ${id} does not exist or you cannot see it.`);
    }
    const access = await requireRole(trx, user, before.investigation_id, 'investigator');
    requireCanEdit(access, user, before);
    if (before.archived_at !== null) {
      throw new DomainError('archived', `Trace request document ${id} is already detached.`);
    }
    if (before.version !== parsed.version) {
      throw new DomainError(
        'version_conflict',
        `Trace request document ${id} is at version ${before.version}, not ${parsed.version}: reload it.`,
      );
    }
    const after = await repository.archiveDocument(trx, before, parsed.reason);
    if (after === undefined)
      throw new DomainError('version_conflict', `Trace request document ${id} changed meanwhile.`);
    await recordChange(trx, user, {
      action: 'trace_request.detach_document',
      entityType: 'trace_request_documents',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    const [document] = await repository.listDocuments(trx, {
      traceRequestId: before.trace_request_id,
      includeArchived: true,
      ids: [id],
    });
    return toDocument(document!);
  });
}

// Bookkeeping every write touches; a history lists what the person changed.
const bookkeepingFields = new Set(['id', 'investigation_id', 'version', 'created_by', 'created_at', 'updated_at']);

function describeChanges(before: unknown, after: unknown): HistoryEntry['changes'] {
  const previous = (before ?? {}) as Record<string, unknown>;
  const next = (after ?? {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(previous), ...Object.keys(next)])];
  return fields
    .filter((field) => !bookkeepingFields.has(field))
    .filter((field) => canonicalJson(previous[field] ?? null) !== canonicalJson(next[field] ?? null))
    .map((field) => ({ field, before: previous[field] ?? null, after: next[field] ?? null }));
}

/**
 * Every change made to a trace request, its covered items and its documents,
 * read from the audit log, oldest first, each with the fields that changed.
 */
export async function getTraceRequestHistory(
  db: Kysely<DB>,
  user: Actor,
  traceRequestId: string,
): Promise<TraceRequestHistory> {
  const request = await findById(db, 'trace_requests', traceRequestId);
  await requireRole(db, user, request.investigation_id, 'viewer');
  const rows = await repository.listHistory(db, {
    investigationId: request.investigation_id,
    traceRequestId,
    documentIds: await repository.listDocumentIds(db, traceRequestId),
  });
  return {
    trace_request_id: traceRequestId,
    entries: rows.map((row) => ({
      seq: row.seq,
      at: row.at.toISOString(),
      actor_label: row.actor_label,
      via: row.via,
      action: row.action,
      entity_type: row.entity_type,
      entity_id: row.entity_id,
      changes: describeChanges(row.before, row.after),
    })),
  };
}
