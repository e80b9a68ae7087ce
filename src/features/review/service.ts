import type { Kysely } from 'kysely';
import { toPage, type Page } from '../../db/pagination.js';
import type { DB } from '../../db/tables.js';
import { findForUpdate, findById, updateVersioned, type Queryable, type Tx } from '../../db/versioned.js';
import { DomainError, NotVisibleError } from '../../errors.js';
import type { Actor, Role } from '../access/schema.js';
import { requireCanEdit, requireRole, type Access } from '../access/service.js';
import { clearanceForRole, requireReader, requireVisible } from '../sensitivity/service.js';
import { recordChange } from '../audit/service.js';
import * as repository from './repository.js';
import {
  reviewActionBodySchema,
  reviewQueueQuerySchema,
  updateReviewSettingsBodySchema,
  type PublicationRule,
  type ReviewActionInput,
  type ReviewKind,
  type ReviewQueue,
  type ReviewQueueEntry,
  type ReviewSettings,
  type ReviewState,
  type ReviewStatus,
  type ReviewUnpublishInput,
  type UpdateReviewSettingsInput,
  reviewUnpublishBodySchema,
} from './schema.js';

/**
 * The roles that may verify and publish records in an investigation: owners and editors (instance administrators
 * act as owners). Investigators record and submit; viewers only read. Only owners change the publication rule.
 */
export const reviewerRoles: readonly Role[] = ['owner', 'editor'];

function mayReview(access: Access): boolean {
  return reviewerRoles.includes(access.role);
}

const kindNames: Record<ReviewKind, string> = {
  site: 'Site',
  item: 'Item',
  marking: 'Marking',
  provenance_claim: 'Provenance claim',
  media: 'Media file',
};

async function loadRecord(
  db: Queryable,
  kind: ReviewKind,
  id: string,
  forUpdate: boolean,
): Promise<repository.ReviewRow> {
  const row = await repository.findReviewRow(db, repository.reviewTables[kind], id, { forUpdate });
  if (row === undefined) throw new NotVisibleError(`${kindNames[kind]} ${id} does not exist or you cannot see it.`);
  return row;
}

function requireVersion(kind: ReviewKind, row: repository.ReviewRow, version: number): void {
  if (row.archived_at !== null) {
    throw new DomainError('archived', `${kindNames[kind]} ${row.id} is archived and can no longer be reviewed.`);
  }
  if (row.version !== version) {
    throw new DomainError(
      'version_conflict',
      `${kindNames[kind]} ${row.id} is at version ${row.version}, not ${version}: review the current version.`,
    );
  }
}

/** The investigation's publication rule, or undefined when it is archived (then nothing is reviewed any more). */
async function publicationRule(db: Queryable, investigationId: string): Promise<PublicationRule | undefined> {
  const investigation = await findById(db, 'investigations', investigationId);
  return investigation.archived_at === null ? (investigation.publication_rule as PublicationRule) : undefined;
}

type Refusal = ReviewStatus['refusal'];

/** Why `actor` may not verify (or publish) the record now, or null when they may. */
async function reviewRefusal(
  db: Queryable,
  kind: ReviewKind,
  row: repository.ReviewRow,
  access: Access,
  actor: Actor,
  step: 'verify' | 'publish',
  rule: PublicationRule | undefined,
): Promise<Refusal> {
  if (!mayReview(access) || rule === undefined) return 'role';
  const state = row.review_state as ReviewState;
  if (row.archived_at !== null) return 'state';
  if (step === 'verify' && state !== 'submitted') return 'state';
  if (step === 'publish') {
    if (state === 'verified') return null;
    if (state !== 'submitted') return 'state';
    if (rule !== 'submitted') return 'publication_rule';
  }
  // Publishing an unverified record (where the rule allows it) is also a check by a second person.
  const authors = await repository.findContentAuthors(db, repository.reviewTables[kind], row);
  return authors.has(actor.userId) ? 'own_record' : null;
}

function refusalError(kind: ReviewKind, row: repository.ReviewRow, refusal: NonNullable<Refusal>, step: string) {
  const name = `${kindNames[kind]} ${row.id}`;
  switch (refusal) {
    case 'role':
      return new DomainError('forbidden', `Only owners and editors may ${step} records in this investigation.`);
    case 'own_record':
      return new DomainError(
        'review_own_record',
        `You created or changed ${name}; someone else with the role to ${step} must check it.`,
      );
    case 'publication_rule':
      return new DomainError(
        'publication_not_allowed',
        `${name} is not verified, and this investigation publishes only verified records.`,
      );
    case 'state':
      return new DomainError(
        'review_state_invalid',
        `${name} is ${row.review_state}; only ${step === 'verify' ? 'a submitted' : 'a verified'} record can be ${step === 'verify' ? 'verified' : 'published'}.`,
      );
  }
}

function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

function userRef(users: Map<string, repository.UserRef>, id: string): repository.UserRef {
  return users.get(id) ?? { id, username: 'unknown', display_name: '' };
}

/**
 * A record's review: its state, the last verification (kept after a correction, with the verified values from
 * the audit log), the last publication and what the caller may do.
 */
export async function getReviewStatus(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
): Promise<ReviewStatus> {
  const row = await loadRecord(db, kind, id, false);
  const { access, clearance } = await requireReader(db, actor, row.investigation_id);
  requireVisible(clearance, row, kindNames[kind]);
  return describe(db, actor, access, kind, row);
}

async function describe(
  db: Queryable,
  actor: Actor,
  access: Access,
  kind: ReviewKind,
  row: repository.ReviewRow,
): Promise<ReviewStatus> {
  const table = repository.reviewTables[kind];
  const rule = await publicationRule(db, row.investigation_id);
  const users = await repository.findUsers(
    db,
    [row.created_by, row.verified_by, row.published_by, row.unpublished_by].filter(
      (value): value is string => value !== null,
    ),
  );
  const verifyRefusal = await reviewRefusal(db, kind, row, access, actor, 'verify', rule);
  const publishRefusal = await reviewRefusal(db, kind, row, access, actor, 'publish', rule);
  const state = row.review_state as ReviewState;
  let maySubmit = state === 'draft' && row.archived_at === null && access.role !== 'viewer' && rule !== undefined;
  if (maySubmit) {
    try {
      requireCanEdit(access, actor, row);
    } catch {
      maySubmit = false;
    }
  }
  const verifiedCurrent = row.verified_version === row.version;
  const verifiedValues =
    row.verified_version !== null && !verifiedCurrent
      ? ((await repository.findAuditedVersion(db, table, row.id, row.verified_version)) ?? null)
      : null;
  return {
    kind,
    id: row.id,
    investigation_id: row.investigation_id,
    state,
    version: row.version,
    created_by: userRef(users, row.created_by),
    verified:
      row.verified_version === null || row.verified_by === null || row.verified_at === null
        ? null
        : {
            version: row.verified_version,
            by: userRef(users, row.verified_by),
            at: iso(row.verified_at),
            current: verifiedCurrent,
          },
    published:
      row.published_by === null || row.published_at === null
        ? null
        : { by: userRef(users, row.published_by), at: iso(row.published_at) },
    unpublished:
      row.unpublished_by === null || row.unpublished_at === null || row.unpublish_reason === null
        ? null
        : { by: userRef(users, row.unpublished_by), at: iso(row.unpublished_at), reason: row.unpublish_reason },
    verified_values: verifiedValues,
    allowed: {
      submit: maySubmit,
      verify: verifyRefusal === null,
      publish: publishRefusal === null,
      unpublish: state === 'published' && row.archived_at === null && rule !== undefined && access.role === 'owner',
    },
    // The reason shown is the one for the next step the record is waiting for.
    refusal: state === 'verified' ? publishRefusal : state === 'submitted' ? verifyRefusal : null,
  };
}

/** Runs one review transition: lock, check, update the review columns, audit, all in one transaction. */
async function transition(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
  input: ReviewActionInput,
  step: 'submit' | 'verify' | 'publish',
): Promise<ReviewStatus> {
  const { version } = reviewActionBodySchema.parse(input);
  const table = repository.reviewTables[kind];
  return db.transaction().execute(async (trx: Tx) => {
    const row = await loadRecord(trx, kind, id, true);
    const access = await requireRole(trx, actor, row.investigation_id, step === 'submit' ? 'investigator' : 'editor');
    requireVisible(await clearanceForRole(trx, access.role, row.investigation_id), row, kindNames[kind]);
    requireVersion(kind, row, version);
    const now = new Date();
    let patch: Parameters<typeof repository.updateReviewColumns>[4];
    if (step === 'submit') {
      requireCanEdit(access, actor, row);
      if (row.review_state !== 'draft') {
        throw new DomainError(
          'review_state_invalid',
          `${kindNames[kind]} ${id} is ${row.review_state}; only a draft can be submitted.`,
        );
      }
      patch = { review_state: 'submitted' };
    } else {
      if (!mayReview(access)) throw refusalError(kind, row, 'role', step);
      // Not undefined: requireRole refused an archived investigation already.
      const rule = (await publicationRule(trx, row.investigation_id)) ?? 'verified';
      const refusal = await reviewRefusal(trx, kind, row, access, actor, step, rule);
      if (refusal !== null) throw refusalError(kind, row, refusal, step);
      patch =
        step === 'verify'
          ? { review_state: 'verified', verified_version: row.version, verified_by: actor.userId, verified_at: now }
          : { review_state: 'published', published_by: actor.userId, published_at: now };
    }
    const before = await repository.findWholeRow(trx, table, id);
    const after = await repository.updateReviewColumns(trx, table, id, version, patch);
    if (after === undefined) throw new DomainError('version_conflict', `${kindNames[kind]} ${id} changed meanwhile.`);
    await recordChange(trx, actor, {
      action: `review.${step}`,
      entityType: table,
      entityId: id,
      investigationId: row.investigation_id,
      before,
      after,
    });
    return describe(trx, actor, access, kind, { ...row, ...patch });
  });
}

/** draft → submitted, by someone who may edit the record (its author, or an editor or owner). */
export async function submitRecord(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
  input: ReviewActionInput,
) {
  return transition(db, actor, kind, id, input, 'submit');
}

/** submitted → verified, by an owner or editor who neither created the record nor changed it since it was last verified. */
export async function verifyRecord(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
  input: ReviewActionInput,
) {
  return transition(db, actor, kind, id, input, 'verify');
}

/** verified → published (or submitted → published where the investigation's rule allows it), by an owner or editor. */
export async function publishRecord(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
  input: ReviewActionInput,
) {
  return transition(db, actor, kind, id, input, 'publish');
}

/**
 * Takes a publication back (owners only, with a reason): published → verified, or → submitted when the published
 * version was never verified (a record published under the `submitted` rule). Who, when and why stay on the record
 * and in the audit log (`review.unpublish`); the last publication stays named.
 */
export async function unpublishRecord(
  db: Kysely<DB>,
  actor: Actor,
  kind: ReviewKind,
  id: string,
  input: ReviewUnpublishInput,
): Promise<ReviewStatus> {
  const { version, reason } = reviewUnpublishBodySchema.parse(input);
  const table = repository.reviewTables[kind];
  return db.transaction().execute(async (trx: Tx) => {
    const row = await loadRecord(trx, kind, id, true);
    const access = await requireRole(trx, actor, row.investigation_id, 'viewer');
    if (access.role !== 'owner') {
      throw new DomainError('unpublish_not_allowed', `Only owners of this investigation may take a publication back.`);
    }
    requireVersion(kind, row, version);
    if (row.review_state !== 'published') {
      throw new DomainError(
        'not_published',
        `${kindNames[kind]} ${id} is ${row.review_state}, not published: there is no publication to take back.`,
      );
    }
    const patch = {
      review_state: row.verified_version === row.version ? 'verified' : 'submitted',
      unpublished_by: actor.userId,
      unpublished_at: new Date(),
      unpublish_reason: reason,
    };
    const before = await repository.findWholeRow(trx, table, id);
    const after = await repository.updateReviewColumns(trx, table, id, version, patch);
    if (after === undefined) throw new DomainError('version_conflict', `${kindNames[kind]} ${id} changed meanwhile.`);
    await recordChange(trx, actor, {
      action: 'review.unpublish',
      entityType: table,
      entityId: id,
      investigationId: row.investigation_id,
      before,
      after,
    });
    return describe(trx, actor, access, kind, { ...row, ...patch });
  });
}

/** The records of an investigation awaiting the caller's review (none when their role may not verify). */
export async function listReviewQueue(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: Record<string, unknown>,
): Promise<ReviewQueue> {
  const query = reviewQueueQuerySchema.parse(input);
  const access = await requireRole(db, actor, investigationId, 'viewer');
  if (!mayReview(access) || (await publicationRule(db, investigationId)) === undefined) {
    return { items: [], next_after: null, can_verify: false };
  }
  const clearance = await clearanceForRole(db, access.role, investigationId);
  const rows = await repository.listQueue(db, investigationId, actor.userId, query, clearance);
  const page: Page<ReviewQueueEntry> = toPage(rows, query.limit, (row) => ({
    kind: row.kind,
    id: row.id,
    label: row.label,
    item_id: row.item_id,
    site_id: row.site_id,
    version: row.version,
    verified_version: row.verified_version,
    created_by: { id: row.created_by, username: row.username, display_name: row.display_name },
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }));
  return { ...page, can_verify: true };
}

export async function getReviewSettings(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
): Promise<ReviewSettings> {
  const access = await requireRole(db, actor, investigationId, 'viewer');
  const investigation = await findById(db, 'investigations', investigationId);
  return {
    investigation_id: investigationId,
    publication_rule: investigation.publication_rule as PublicationRule,
    version: investigation.version,
    can_change: access.role === 'owner' && investigation.archived_at === null,
  };
}

/** Changes what may be published in an investigation (owners only), audited as `investigation.publication_rule`. */
export async function updateReviewSettings(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: UpdateReviewSettingsInput,
): Promise<ReviewSettings> {
  const parsed = updateReviewSettingsBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'owner');
    const before = await findForUpdate(trx, 'investigations', investigationId);
    const after = await updateVersioned(trx, 'investigations', before, parsed.version, {
      publication_rule: parsed.publication_rule,
    });
    await recordChange(trx, actor, {
      action: 'investigation.publication_rule',
      entityType: 'investigations',
      entityId: investigationId,
      investigationId,
      before,
      after,
    });
    return {
      investigation_id: investigationId,
      publication_rule: after.publication_rule as PublicationRule,
      version: after.version,
      can_change: true,
    };
  });
}
