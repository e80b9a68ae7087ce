/**
 * Column mappings kept per investigation under a name (table import_mappings, migration 0015), so that a file of
 * a shape already mapped once is imported again without mapping it by hand: `--mapping NAME` on the CLI,
 * `mapping_name` over the API. Saving and deleting are audited.
 */
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB } from '../../db/tables.js';
import { NotVisibleError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireRole } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { parseMapping } from './mapping.js';
import { saveImportMappingBodySchema, type ImportMapping, type SavedImportMapping } from './schema.js';

const ENTITY_TYPE = 'import_mappings';

function toSaved(row: {
  id: string;
  name: string;
  mapping: unknown;
  created_at: Date;
  updated_at: Date;
}): SavedImportMapping {
  const mapping = typeof row.mapping === 'string' ? (JSON.parse(row.mapping) as unknown) : row.mapping;
  return {
    id: row.id,
    name: row.name,
    mapping: parseMapping(mapping, `"${row.name}"`),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/**
 * The investigation's saved mappings, by name (investigator and above).
 *
 * @example
 * const mappings = await listImportMappings(db, actor, investigationId);
 */
export async function listImportMappings(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
): Promise<SavedImportMapping[]> {
  await requireRole(db, actor, investigationId, 'investigator');
  const rows = await db
    .selectFrom('import_mappings')
    .select(['id', 'name', 'mapping', 'created_at', 'updated_at'])
    .where('investigation_id', '=', investigationId)
    .orderBy('name')
    .execute();
  return rows.map(toSaved);
}

/**
 * The mapping saved under `name`; `not_found` when there is none.
 *
 * @example
 * const mapping = await findImportMapping(db, actor, investigationId, 'inventaire');
 */
export async function findImportMapping(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  name: string,
): Promise<ImportMapping> {
  await requireRole(db, actor, investigationId, 'investigator');
  const row = await db
    .selectFrom('import_mappings')
    .select(['id', 'name', 'mapping', 'created_at', 'updated_at'])
    .where('investigation_id', '=', investigationId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw new NotVisibleError(`No column mapping is saved under the name "${name}".`);
  return toSaved(row).mapping;
}

/**
 * Saves a mapping under a name, replacing the one saved under that name before; audited in the same transaction.
 *
 * @example
 * await saveImportMapping(db, actor, investigationId, { name: 'inventaire', mapping: { Catégorie: 'category' } });
 */
export async function saveImportMapping(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  input: { name: string; mapping: ImportMapping },
): Promise<SavedImportMapping> {
  const { name, mapping } = saveImportMappingBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const before = await trx
      .selectFrom('import_mappings')
      .selectAll()
      .where('investigation_id', '=', investigationId)
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirst();
    const json = JSON.stringify(mapping);
    const after =
      before === undefined
        ? await trx
            .insertInto('import_mappings')
            .values({ id: uuidv7(), investigation_id: investigationId, name, mapping: json, created_by: actor.userId })
            .returningAll()
            .executeTakeFirstOrThrow()
        : await trx
            .updateTable('import_mappings')
            .set({ mapping: json, updated_at: new Date() })
            .where('id', '=', before.id)
            .returningAll()
            .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'import_mapping.save',
      entityType: ENTITY_TYPE,
      entityId: after.id,
      investigationId,
      before: before ?? null,
      after,
    });
    return toSaved(after);
  });
}

/**
 * Deletes the mapping saved under a name; audited.
 *
 * @example
 * await deleteImportMapping(db, actor, investigationId, 'inventaire');
 */
export async function deleteImportMapping(
  db: Kysely<DB>,
  actor: Actor,
  investigationId: string,
  name: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await requireRole(trx, actor, investigationId, 'investigator');
    const before = await trx
      .deleteFrom('import_mappings')
      .where('investigation_id', '=', investigationId)
      .where('name', '=', name)
      .returningAll()
      .executeTakeFirst();
    if (before === undefined) throw new NotVisibleError(`No column mapping is saved under the name "${name}".`);
    await recordChange(trx, actor, {
      action: 'import_mapping.delete',
      entityType: ENTITY_TYPE,
      entityId: before.id,
      investigationId,
      before,
    });
  });
}
