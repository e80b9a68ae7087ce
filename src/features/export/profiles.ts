/**
 * Export profiles (issue 13, item 3): who an output is made for decides which records and which columns it
 * carries. One definition per profile, used by every output (the JSON export, the CSV/XLSX/GeoJSON/KML files,
 * the report, the BagIt bag and the static public site), so they cannot disagree.
 *
 * - `internal`: what members see today, bounded by the caller's clearance. Any member (viewer and above).
 * - `partner`: records that are published, or that the investigation's publication rule lets be published
 *   (verified; with the rule `submitted`, submitted ones too), up to the `partners` sensitivity; exact
 *   coordinates; no personal data, internal notes or device identifiers. Owners and editors only.
 * - `public`: published records whose sensitivity is `public`; coordinates moved to the centre of a grid cell of
 *   N km (default 10); no personal data, internal notes, source identities, device identifiers or location
 *   detail. Owners and editors only.
 *
 * A record is kept only with its parents (an item with its site, a marking with its item, a link with both ends),
 * so nothing of a withheld record shows through a kept one. Columns are kept or dropped by their class in the
 * one registry personal-data.ts.
 */
import { z } from 'zod';
import type { Role } from '../access/schema.js';
import type { PublicationRule } from '../review/schema.js';
import { sensitivityLevels, type SensitivityLevel } from '../sensitivity/schema.js';
import { DEFAULT_GRID_KM, generalisePoint, gridDescription } from './grid.js';
import { classOfColumn, type ColumnClass } from './personal-data.js';
import { exportedTables, type ExportedTable } from './repository.js';

export const exportProfiles = ['internal', 'partner', 'public'] as const;
export type ExportProfile = (typeof exportProfiles)[number];
export const exportProfileSchema = z
  .enum(exportProfiles)
  .default('internal')
  .describe(
    'Who the output is for. internal (default): what members see. partner: publishable records up to the partners ' +
      'sensitivity, no personal data (owners and editors). public: published public records, coordinates on a grid, ' +
      'no personal data, notes or source identities (owners and editors).',
  );
export const gridKmSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(DEFAULT_GRID_KM)
  .describe('public profile: size in km of the grid cells coordinates are moved to the centre of (1–1000, default 10)');

/** The sensitivity levels in order, least to most sensitive. */
const sensitivityOrder = sensitivityLevels;
type Level = SensitivityLevel;

export interface ProfileDefinition {
  name: ExportProfile;
  /** The least role that may produce it. */
  minimumRole: Role;
  /** Reviewed records kept: all of them, the published ones, or the publishable ones (publication rule). */
  records: 'all' | 'published' | 'publishable';
  /** The most sensitive level kept; `clearance` = whatever the caller may see. */
  maxSensitivity: Level | 'clearance';
  /** The column classes kept; `latitude` and `longitude` are generalised when `grid` is set. */
  keptClasses: ReadonlySet<ColumnClass>;
  /** Whether points are moved to the centre of their grid cell. */
  grid: boolean;
  /** Tables carried at all (their rows then filtered by their parents). */
  tables: ReadonlySet<ExportedTable>;
  /** Whether media files leave as their originals or as re-encoded copies without metadata (photos only). */
  mediaFiles: 'originals' | 'clean_copies';
}

const reviewedAndLinks: ExportedTable[] = [
  'sites',
  'items',
  'markings',
  'media',
  'media_links',
  'provenance_claims',
  'actors',
];

/** The three profiles. */
export const profileDefinitions: Record<ExportProfile, ProfileDefinition> = {
  internal: {
    name: 'internal',
    minimumRole: 'viewer',
    records: 'all',
    maxSensitivity: 'clearance',
    keptClasses: new Set<ColumnClass>([
      'record',
      'latitude',
      'longitude',
      'location_detail',
      'personal',
      'internal_note',
      'source_identity',
      'device',
    ]),
    grid: false,
    tables: new Set(exportedTables),
    mediaFiles: 'originals',
  },
  partner: {
    name: 'partner',
    minimumRole: 'editor',
    records: 'publishable',
    maxSensitivity: 'partners',
    keptClasses: new Set<ColumnClass>(['record', 'latitude', 'longitude', 'location_detail', 'source_identity']),
    grid: false,
    // Not the offline-sync and form-submission bookkeeping: who entered what, from which device.
    tables: new Set(exportedTables.filter((table) => table !== 'sync_operations' && table !== 'form_submissions')),
    mediaFiles: 'clean_copies',
  },
  public: {
    name: 'public',
    minimumRole: 'editor',
    records: 'published',
    maxSensitivity: 'public',
    keptClasses: new Set<ColumnClass>(['record', 'latitude', 'longitude']),
    grid: true,
    // The reviewed records, the links between them and the actors their claims name; not sources (identities),
    // zones, custody, incidents or trace requests, which carry no review state or sensitivity of their own.
    tables: new Set(reviewedAndLinks),
    mediaFiles: 'clean_copies',
  },
};

/** The options an output is made with, as every output states them. */
export interface ProfileOptions {
  profile: ExportProfile;
  /** For `public`: the grid's cell size in km. */
  gridKm?: number | undefined;
}

/** What an output says about the profile that made it (the JSON `profile` member, the bag-info, the site). */
export interface ProfileStatement {
  name: ExportProfile;
  description: string;
  coordinates: { kind: 'exact' } | { kind: 'grid'; cell_km: number; method: string };
  withheld: string[];
}

const descriptions: Record<ExportProfile, string> = {
  internal: 'Everything the exporting member may see, personal data and notes included. Not for release.',
  partner:
    'Published or publishable records up to the partners sensitivity, exact coordinates; no personal data, internal notes or device identifiers.',
  public:
    'Published records marked public; coordinates generalised to a grid; no personal data, internal notes, source identities or device identifiers.',
};

/**
 * The statement an output carries about the profile that made it.
 *
 * @example
 * profileStatement({ profile: 'public', gridKm: 10 }).coordinates // → { kind: 'grid', cell_km: 10, … }
 */
export function profileStatement(options: ProfileOptions): ProfileStatement {
  const definition = profileDefinitions[options.profile];
  const cellKm = options.gridKm ?? DEFAULT_GRID_KM;
  const withheld = columnClassesWithheld(definition);
  return {
    name: options.profile,
    description: descriptions[options.profile],
    coordinates: definition.grid
      ? { kind: 'grid', cell_km: cellKm, method: gridDescription(cellKm) }
      : { kind: 'exact' },
    withheld,
  };
}

function columnClassesWithheld(definition: ProfileDefinition): string[] {
  const all: ColumnClass[] = ['location_detail', 'personal', 'internal_note', 'source_identity', 'device'];
  return all.filter((columnClass) => !definition.keptClasses.has(columnClass));
}

type RecordRow = Record<string, unknown>;
export type ProfiledRecords = Record<ExportedTable, RecordRow[]>;

/** What decides whether a reviewed record is kept, besides its profile. */
export interface ProfileContext {
  publicationRule: PublicationRule;
  /** The most sensitive level the caller may see (from their clearance); for `internal`. */
  clearance: Level;
}

function levelRank(level: unknown): number {
  const rank = sensitivityOrder.indexOf(level as Level);
  // A record without a sensitivity (a database before migration 0025) counts as internal: never released.
  return rank === -1 ? sensitivityOrder.indexOf('internal') : rank;
}

const reviewedTables = new Set<ExportedTable>(['sites', 'items', 'markings', 'media', 'provenance_claims']);

function reviewAllows(definition: ProfileDefinition, row: RecordRow, rule: PublicationRule): boolean {
  if (definition.records === 'all') return true;
  if (row.archived_at !== null && row.archived_at !== undefined) return false;
  const state = row.review_state;
  if (definition.records === 'published') return state === 'published';
  return state === 'published' || state === 'verified' || (rule === 'submitted' && state === 'submitted');
}

/**
 * Whether a reviewed record (site, item, marking, media, claim) passes the profile's review and sensitivity
 * rules on its own (its parents are checked by {@link applyProfile}).
 *
 * @example
 * recordAllowed(profileDefinitions.public, site, context) // → false for a draft
 */
export function recordAllowed(definition: ProfileDefinition, row: RecordRow, context: ProfileContext): boolean {
  if (!reviewAllows(definition, row, context.publicationRule)) return false;
  const ceiling = definition.maxSensitivity === 'clearance' ? context.clearance : definition.maxSensitivity;
  return levelRank(row.sensitivity) <= sensitivityOrder.indexOf(ceiling);
}

function idsOf(rows: RecordRow[], column = 'id'): Set<string> {
  return new Set(rows.map((row) => row[column]).filter((value): value is string => typeof value === 'string'));
}

/** Null or one of the ids. */
function within(value: unknown, ids: Set<string>): boolean {
  return value === null || value === undefined || (typeof value === 'string' && ids.has(value));
}

/**
 * The rows of one investigation's tables as a profile lets them out: records filtered by review state,
 * sensitivity and their parents; columns dropped by class; points generalised for `public`. Pure: the same input
 * gives the same output.
 *
 * @example
 * const released = applyProfile(document.records, { profile: 'public', gridKm: 10 }, context);
 */
export function applyProfile(
  records: Partial<Record<ExportedTable, RecordRow[]>>,
  options: ProfileOptions,
  context: ProfileContext,
): ProfiledRecords {
  const definition = profileDefinitions[options.profile];
  const rows = (table: ExportedTable): RecordRow[] => (definition.tables.has(table) ? (records[table] ?? []) : []);
  const own = (table: ExportedTable): RecordRow[] =>
    rows(table).filter((row) => !reviewedTables.has(table) || recordAllowed(definition, row, context));
  const kept = {} as ProfiledRecords;
  for (const table of exportedTables) kept[table] = [];
  if (definition.records === 'all') {
    // internal: every table as read, reviewed records bounded by the caller's clearance only.
    for (const table of exportedTables) kept[table] = own(table);
  } else {
    kept.sites = own('sites');
    const sites = idsOf(kept.sites);
    kept.zones = rows('zones').filter((row) => within(row.site_id, sites));
    const zones = idsOf(kept.zones);
    kept.items = own('items').filter(
      (row) => within(row.site_id, sites) && (definition.tables.has('zones') ? within(row.zone_id, zones) : true),
    );
    const items = idsOf(kept.items);
    kept.markings = own('markings').filter((row) => within(row.item_id, items));
    const markings = idsOf(kept.markings);
    kept.media = own('media');
    const media = idsOf(kept.media);
    kept.media_links = rows('media_links').filter(
      (row) =>
        (row.archived_at === null || row.archived_at === undefined) &&
        within(row.media_id, media) &&
        within(row.site_id, sites) &&
        within(row.item_id, items) &&
        within(row.marking_id, markings),
    );
    kept.custody_events = rows('custody_events').filter((row) => within(row.item_id, items));
    kept.incidents = rows('incidents').filter((row) => within(row.site_id, sites));
    const incidents = idsOf(kept.incidents);
    kept.incident_items = rows('incident_items').filter(
      (row) => within(row.incident_id, incidents) && within(row.item_id, items),
    );
    kept.incident_sites = rows('incident_sites').filter(
      (row) => within(row.incident_id, incidents) && within(row.site_id, sites),
    );
    kept.trace_request_items = rows('trace_request_items').filter((row) => within(row.item_id, items));
    const requested = idsOf(kept.trace_request_items, 'trace_request_id');
    kept.trace_requests = rows('trace_requests').filter((row) => requested.has(String(row.id)));
    const requests = idsOf(kept.trace_requests);
    kept.trace_request_items = kept.trace_request_items.filter((row) => within(row.trace_request_id, requests));
    kept.trace_request_documents = rows('trace_request_documents').filter(
      (row) => within(row.trace_request_id, requests) && within(row.media_id, media),
    );
    kept.provenance_claims = own('provenance_claims').filter(
      (row) =>
        within(row.item_id, items) &&
        (definition.tables.has('trace_requests') ? within(row.trace_request_id, requests) : true),
    );
    const actors = new Set([
      ...idsOf(kept.provenance_claims, 'actor_id'),
      ...idsOf(kept.provenance_claims, 'counterpart_id'),
      ...idsOf(kept.trace_requests, 'addressee_id'),
    ]);
    kept.actors = rows('actors').filter((row) => actors.has(String(row.id)));
    const sources = new Set([
      ...idsOf(kept.media, 'source_id'),
      ...idsOf(kept.incidents, 'source_id'),
      ...idsOf(kept.provenance_claims, 'source_id'),
    ]);
    kept.sources = rows('sources').filter((row) => sources.has(String(row.id)));
    kept.media_proofs = rows('media_proofs').filter((row) => within(row.media_id, media));
    kept.sync_operations = rows('sync_operations');
    kept.form_submissions = rows('form_submissions').filter(
      (row) => within(row.item_id, items) && within(row.site_id, sites),
    );
  }
  const cellKm = options.gridKm ?? DEFAULT_GRID_KM;
  for (const table of exportedTables) {
    kept[table] = kept[table].map((row) => redactRow(table, row, definition, cellKm));
  }
  return kept;
}

/**
 * One row with the columns the profile does not keep left out, and (public) its point moved to its cell centre.
 *
 * @example
 * redactRow('sites', site, profileDefinitions.public, 10) // → no recovered_by, latitude on the grid
 */
export function redactRow(
  table: ExportedTable,
  row: RecordRow,
  definition: ProfileDefinition,
  cellKm: number,
): RecordRow {
  const redacted: RecordRow = {};
  for (const [column, value] of Object.entries(row)) {
    if (definition.keptClasses.has(classOfColumn(table, column))) redacted[column] = value;
  }
  if (definition.grid) {
    const columns = Object.keys(row);
    const latitudeColumn = columns.find((column) => classOfColumn(table, column) === 'latitude');
    const longitudeColumn = columns.find((column) => classOfColumn(table, column) === 'longitude');
    if (latitudeColumn !== undefined && longitudeColumn !== undefined) {
      const latitude = row[latitudeColumn];
      const longitude = row[longitudeColumn];
      if (typeof latitude === 'number' && typeof longitude === 'number') {
        const centre = generalisePoint(latitude, longitude, cellKm);
        redacted[latitudeColumn] = centre.latitude;
        redacted[longitudeColumn] = centre.longitude;
      } else {
        redacted[latitudeColumn] = null;
        redacted[longitudeColumn] = null;
      }
    }
  }
  return redacted;
}

/** The query parameters every output takes: `profile` (default internal) and, for public, `grid_km`. */
export const profileQuerySchema = z.object({ profile: exportProfileSchema, grid_km: gridKmSchema });

/**
 * The profile options from the query parameters (or the CLI's `--profile`/`--grid-km`, parsed the same way).
 *
 * @example
 * profileOptionsOf(profileQuerySchema.parse({ profile: 'public', grid_km: '5' })) // → { profile: 'public', gridKm: 5 }
 */
export function profileOptionsOf(query: { profile: ExportProfile; grid_km: number }): ProfileOptions {
  return { profile: query.profile, gridKm: query.grid_km };
}

/** The suffix file names get for a profile other than internal: `-public`, `-partner`. */
export function profileFileSuffix(profile: ExportProfile): string {
  return profile === 'internal' ? '' : `-${profile}`;
}

/** Response header naming the profile that made the output. */
export const profileHeader = 'armtrace-profile';
