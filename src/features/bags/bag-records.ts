// How a partner's bag's records (data/records.json) map onto this instance's tables, for the import (import.ts):
// the tables and columns brought in, the references between records, the document's shape, and the values
// refused rather than guessed (a time without its offset, a sensitivity that is not a level).
import { z } from 'zod';
import { DomainError } from '../../errors.js';
import { sensitivityLevels, sensitivityRank, type SensitivityLevel } from '../sensitivity/schema.js';

/** The tables a bag import creates records in, parents first. */
export const importedTables = [
  'sites',
  'zones',
  'items',
  'markings',
  'custody_events',
  'media',
  'media_links',
] as const;
export type ImportedTable = (typeof importedTables)[number];

/** Columns copied from the bag as they are, per table (ids, owners and times of this instance are set here). */
export const copiedColumns: Record<ImportedTable, readonly string[]> = {
  sites: [
    'external_ref',
    'site_type',
    'name',
    'names',
    'latitude',
    'longitude',
    'precision_m',
    'area',
    'recovered_by',
    'recovered_on',
    'context',
  ],
  zones: ['name', 'description'],
  items: [
    'external_ref',
    'category',
    'model',
    'quantity',
    'assembly_state',
    'condition',
    'production_type',
    'observations',
    'tags',
    'fuze_fitted',
    'safety_device_fitted',
    'disposal_status',
    'disposal_note',
  ],
  markings: ['text', 'normalized', 'kind', 'position', 'script', 'legibility'],
  custody_events: ['from_party', 'to_party', 'occurred_at', 'place', 'note'],
  media: [
    'sha256',
    'size_bytes',
    'media_type',
    'original_filename',
    'captured_at',
    'captured_by',
    'credit',
    'licence',
    'original_url',
    'perceptual_hash',
    'pixel_width',
    'pixel_height',
    'exif_captured_at',
    'exif_latitude',
    'exif_longitude',
    'exif_device',
  ],
  media_links: ['review_flags'],
};

/** References to other records of the bag, per table: column → the table it points into. */
export const references: Record<ImportedTable, Record<string, ImportedTable>> = {
  sites: {},
  zones: { site_id: 'sites' },
  items: { site_id: 'sites', zone_id: 'zones' },
  markings: { item_id: 'items' },
  custody_events: { item_id: 'items' },
  media: {},
  media_links: { media_id: 'media', site_id: 'sites', item_id: 'items', marking_id: 'markings' },
};

export const jsonColumns = new Set(['names', 'area', 'review_flags']);
export const timeColumns = new Set(['occurred_at', 'captured_at', 'exif_captured_at', 'archived_at']);
/** Tables whose rows may be archived (custody events are append-only and never are). */
export const archivable = new Set<ImportedTable>(['sites', 'zones', 'items', 'markings', 'media', 'media_links']);
export const singular: Record<ImportedTable, string> = {
  sites: 'site',
  zones: 'zone',
  items: 'item',
  markings: 'marking',
  custody_events: 'custody',
  media: 'media',
  media_links: 'media_link',
};

const recordSchema = z.record(z.string(), z.unknown());
/** The records of the tables imported carry their own id (link tables such as incident_items have none). */
export const importedRecordSchema = z.record(z.string(), z.unknown()).and(z.object({ id: z.uuid() }));
export const bagDocumentSchema = z.object({
  investigation: z.object({ id: z.string(), title: z.string() }).loose(),
  exported_at: z.string().optional(),
  records: z.record(z.string(), z.array(recordSchema)),
  originals: z.array(z.object({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).loose()).default([]),
});

/** The imported tables whose records carry a sensitivity (migrations/0025_sensitivity.sql). */
export const withSensitivity = new Set<ImportedTable>(['sites', 'items', 'markings', 'media']);

/**
 * The sensitivity an imported record is stored with. A partner's level is kept (it is their judgement of the
 * harm the record can do, and what they shared it under), but never LOWERED below the importing investigation's
 * default: that default is this organisation's rule for what a new record may be before anyone here looks at it
 * (e.g. "internal": nothing goes into a public export until someone here clears it), and a bag is new material
 * like any other. So the stored level is the higher of the two, with the reason of whichever won (the partner's
 * reason when the levels are equal). A bag without levels (written before sensitivity existed) gets the default,
 * as any new record does. A restricted record needs a reason, and only a writer who may see restricted records
 * may bring one in (as through the API): otherwise the whole import is refused, never stored at a lower level.
 */
export function importedSensitivity(
  table: ImportedTable,
  record: Record<string, unknown>,
  fallback: { level: SensitivityLevel; reason: string | null },
  clearance: SensitivityLevel,
): { sensitivity: SensitivityLevel; sensitivity_reason: string | null } | undefined {
  const given = record.sensitivity;
  if (given === undefined || given === null) return undefined;
  if (typeof given !== 'string' || !(sensitivityLevels as readonly string[]).includes(given)) {
    throw refuse(
      `${table} ${String(record.id)}: sensitivity ${JSON.stringify(given)} is not a level; nothing was imported.`,
    );
  }
  const level = given as SensitivityLevel;
  const reason = typeof record.sensitivity_reason === 'string' ? record.sensitivity_reason : null;
  if (level === 'restricted' && reason === null) {
    throw refuse(`${table} ${String(record.id)} is restricted without a reason; nothing was imported.`);
  }
  if (level === 'restricted' && clearance !== 'restricted') {
    throw new DomainError(
      'forbidden',
      `The bag holds restricted records (${table} ${String(record.id)}); only owners and the roles an owner granted restricted records to may import it. Nothing was imported.`,
      [
        {
          field: 'bag',
          message: 'holds restricted records your role may not see',
          code: 'sensitivity_above_clearance',
        },
      ],
    );
  }
  if (sensitivityRank(level) >= sensitivityRank(fallback.level))
    return { sensitivity: level, sensitivity_reason: reason };
  return { sensitivity: fallback.level, sensitivity_reason: fallback.reason };
}

export function refuse(detail: string, problems: string[] = []): DomainError {
  return new DomainError(
    'validation_failed',
    detail,
    problems.slice(0, 20).map((message) => ({ field: 'bag', message })),
  );
}

/** A time from records.json (ISO 8601 with its offset), refused rather than guessed when it is anything else. */
export function timeOf(value: unknown, field: string): Date {
  const time =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : undefined;
  if (time === undefined || Number.isNaN(time.getTime())) {
    throw refuse(`${field} is not a time with its offset (${JSON.stringify(value)}); nothing was imported.`);
  }
  return time;
}
