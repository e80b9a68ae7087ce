import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Page } from '../../db/pagination.js';
import { toPage } from '../../db/pagination.js';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import { findById, findForUpdate, updateVersioned } from '../../db/versioned.js';
import type { Actor } from '../access/schema.js';
import { requireCanEdit, requireRole } from '../access/service.js';
import { archiveAudited } from '../audit/archive.js';
import { recordChange } from '../audit/service.js';
import type { ArchiveInput } from '../../http/params.js';
import * as repository from './repository.js';
import {
  createSourceBodySchema,
  updateSourceBodySchema,
  type CreateSourceInput,
  type Source,
  type SourceListQuery,
  type UpdateSourceInput,
} from './schema.js';

/** The Admiralty grading as analysts write it ("B2"), once both halves are known. */
export function gradingOf(reliability: string | null, credibility: number | null): string | null {
  return reliability === null || credibility === null ? null : `${reliability}${credibility}`;
}

function toSource(row: Row<'sources'>): Source {
  return {
    ...toJsonRecord(row),
    kind: row.kind as Source['kind'],
    reliability: row.reliability as Source['reliability'],
    grading: gradingOf(row.reliability, row.credibility),
  };
}

/**
 * Records a source (a report, document, interview or field documentation) that
 * records and claims can cite.
 *
 * @example
 * const source = await createSource(db, actor, investigationId, {
 *   kind: 'media_report', title: 'Cache found near the river', publisher: 'QQ', language: 'zh',
 *   credit_line: 'Image source: QQ', reliability: 'C', credibility: 3,
 * });
 * source.grading; // 'C3'
 */
export async function createSource(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: CreateSourceInput,
): Promise<Source> {
  const parsed = createSourceBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const now = new Date();
    const row = await repository.insertSource(trx, {
      ...parsed,
      id: uuidv7(),
      investigation_id: investigationId,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
    });
    await recordChange(trx, actor, {
      action: 'source.create',
      entityType: 'sources',
      entityId: row.id,
      investigationId,
      after: row,
    });
    return toSource(row);
  });
}

export async function listSources(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  query: SourceListQuery,
): Promise<Page<Source>> {
  await requireRole(db, actor, investigationId, 'viewer');
  const rows = await repository.listSources(db, investigationId, {
    after: query.after,
    limit: query.limit,
    sort: query.sort,
    order: query.order,
    includeArchived: query.include_archived,
    kind: query.kind,
    reliability: query.reliability,
    text: query.q,
  });
  return toPage(rows, query.limit, toSource);
}

export async function getSource(db: Kysely<DB>, actor: Actor, id: string): Promise<Source> {
  const row = await findById(db, 'sources', id);
  await requireRole(db, actor, row.investigation_id, 'viewer');
  return toSource(row);
}

export async function updateSource(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  input: UpdateSourceInput,
): Promise<Source> {
  const { version, ...changes } = updateSourceBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await findForUpdate(trx, 'sources', id);
    const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
    requireCanEdit(access, actor, before);
    const after = await updateVersioned(trx, 'sources', before, version, changes);
    await recordChange(trx, actor, {
      action: 'source.update',
      entityType: 'sources',
      entityId: id,
      investigationId: before.investigation_id,
      before,
      after,
    });
    return toSource(after);
  });
}

export async function archiveSource(db: Kysely<DB>, actor: Actor, id: string, input: ArchiveInput): Promise<Source> {
  return archiveAudited(db, actor, { table: 'sources', id, action: 'source.archive' }, input, {
    authorize: async (trx, before) => {
      const access = await requireRole(trx, actor, before.investigation_id, 'investigator');
      requireCanEdit(access, actor, before);
    },
    present: (_trx, after) => toSource(after),
  });
}
