/**
 * What each exported column holds, marked here once and not guessed from its name or its contents (issue 13,
 * item 2): the export profiles (profiles.ts) keep, generalise or drop a column by its class. Every column of every
 * exported table is classified; personal-data.test.ts reads the migrated schema and fails on a column that is not,
 * so a new column cannot leave the organisation before someone has decided what it is.
 *
 * Free text a person typed (observations, context, descriptions) is classed `record`: it is written to be read
 * by whoever the record is released to; what must not be released goes in the columns classed `internal_note`.
 */
import type { ExportedTable } from './repository.js';

export const columnClasses = [
  /** Published as stored. */
  'record',
  /** A point's latitude or longitude: exact for partners, the centre of its grid cell in public. */
  'latitude',
  'longitude',
  /** Location detail that cannot be generalised (areas, photo GPS, precision, geopoints as sent): never public. */
  'location_detail',
  /** A person: names of interviewees, investigators, informants, photographers; user ids and usernames; contacts. */
  'personal',
  /** Notes meant for the team only, and archive reasons. */
  'internal_note',
  /** Who a piece of information came from: source records, their ids and addresses. */
  'source_identity',
  /** Device serials and identifiers. */
  'device',
] as const;
export type ColumnClass = (typeof columnClasses)[number];

/** The columns every mutable record shares: who and when (the who is a user), and why it was archived. */
const mutable = {
  created_by: 'personal',
  created_at: 'record',
  updated_at: 'record',
  version: 'record',
  archived_at: 'record',
  archive_reason: 'internal_note',
} as const satisfies Record<string, ColumnClass>;

/** The review columns (migrations/0018_review.sql): states and times are public, the reviewers are people. */
const review = {
  review_state: 'record',
  verified_version: 'record',
  verified_by: 'personal',
  verified_at: 'record',
  published_by: 'personal',
  published_at: 'record',
  // Un-publishing (migrations/0027): who took a record back is a person, why is an internal note.
  unpublished_by: 'personal',
  unpublished_at: 'record',
  unpublish_reason: 'internal_note',
} as const satisfies Record<string, ColumnClass>;

/** Sensitivity (migrations/0025): the level is public, the reason may say why a record is withheld. */
const sensitivity = {
  sensitivity: 'record',
  sensitivity_reason: 'internal_note',
} as const satisfies Record<string, ColumnClass>;

/**
 * Per exported table, the class of each of its columns.
 *
 * @example
 * personalDataColumns.sites.recovered_by // → 'personal'
 */
export const personalDataColumns: Record<ExportedTable, Record<string, ColumnClass>> = {
  sources: {
    id: 'source_identity',
    investigation_id: 'record',
    kind: 'record',
    title: 'source_identity',
    publisher: 'source_identity',
    url: 'source_identity',
    language: 'record',
    published_on: 'record',
    excerpt: 'source_identity',
    credit_line: 'source_identity',
    reliability: 'record',
    credibility: 'record',
    notes: 'internal_note',
    ...mutable,
  },
  sites: {
    id: 'record',
    investigation_id: 'record',
    external_ref: 'record',
    site_type: 'record',
    name: 'record',
    names: 'record',
    latitude: 'latitude',
    longitude: 'longitude',
    precision_m: 'location_detail',
    area: 'location_detail',
    recovered_by: 'personal',
    recovered_on: 'record',
    context: 'record',
    ...mutable,
    ...review,
    ...sensitivity,
  },
  zones: {
    id: 'record',
    investigation_id: 'record',
    site_id: 'record',
    name: 'record',
    description: 'record',
    ...mutable,
  },
  items: {
    id: 'record',
    investigation_id: 'record',
    site_id: 'record',
    zone_id: 'record',
    external_ref: 'record',
    category: 'record',
    model: 'record',
    quantity: 'record',
    assembly_state: 'record',
    condition: 'record',
    production_type: 'record',
    observations: 'record',
    tags: 'record',
    fuze_fitted: 'record',
    safety_device_fitted: 'record',
    disposal_status: 'record',
    disposal_note: 'internal_note',
    ...mutable,
    ...review,
    ...sensitivity,
  },
  markings: {
    id: 'record',
    investigation_id: 'record',
    item_id: 'record',
    text: 'record',
    normalized: 'record',
    kind: 'record',
    position: 'record',
    script: 'record',
    legibility: 'record',
    skeleton: 'record',
    confusion_key: 'record',
    ...mutable,
    ...review,
    ...sensitivity,
  },
  media: {
    id: 'record',
    investigation_id: 'record',
    sha256: 'record',
    size_bytes: 'record',
    media_type: 'record',
    // A camera's or phone's file name often carries a device serial, a date and sometimes a person's name.
    original_filename: 'personal',
    captured_at: 'record',
    captured_by: 'personal',
    source_id: 'source_identity',
    credit: 'record',
    licence: 'record',
    original_url: 'source_identity',
    perceptual_hash: 'record',
    pixel_width: 'record',
    pixel_height: 'record',
    exif_captured_at: 'record',
    exif_latitude: 'location_detail',
    exif_longitude: 'location_detail',
    exif_device: 'device',
    ...mutable,
    ...review,
    ...sensitivity,
  },
  media_links: {
    id: 'record',
    investigation_id: 'record',
    media_id: 'record',
    site_id: 'record',
    item_id: 'record',
    marking_id: 'record',
    review_flags: 'internal_note',
    ...mutable,
  },
  custody_events: {
    id: 'record',
    investigation_id: 'record',
    item_id: 'record',
    from_party: 'personal',
    to_party: 'personal',
    occurred_at: 'record',
    place: 'location_detail',
    note: 'internal_note',
    created_by: 'personal',
    created_at: 'record',
  },
  incidents: {
    id: 'record',
    investigation_id: 'record',
    incident_type: 'record',
    title: 'record',
    occurred_on: 'record',
    site_id: 'record',
    latitude: 'latitude',
    longitude: 'longitude',
    place: 'record',
    killed: 'record',
    injured: 'record',
    description: 'record',
    source_id: 'source_identity',
    ...mutable,
  },
  incident_items: { incident_id: 'record', item_id: 'record', investigation_id: 'record' },
  incident_sites: {
    incident_id: 'record',
    site_id: 'record',
    investigation_id: 'record',
    created_by: 'personal',
    created_at: 'record',
  },
  actors: {
    id: 'record',
    investigation_id: 'record',
    actor_type: 'record',
    name: 'record',
    aliases: 'record',
    country_code: 'record',
    notes: 'internal_note',
    names_folded: 'record',
    ...mutable,
  },
  trace_requests: {
    id: 'record',
    investigation_id: 'record',
    addressee_id: 'record',
    subject: 'record',
    lot_marking: 'record',
    status: 'record',
    sent_on: 'record',
    due_on: 'record',
    response_text: 'internal_note',
    ...mutable,
  },
  trace_request_items: { trace_request_id: 'record', item_id: 'record', investigation_id: 'record' },
  provenance_claims: {
    id: 'record',
    investigation_id: 'record',
    item_id: 'record',
    lot_marking: 'record',
    lot_normalized: 'record',
    event_type: 'record',
    actor_id: 'record',
    counterpart_id: 'record',
    occurred_from: 'record',
    occurred_to: 'record',
    place: 'record',
    source_id: 'source_identity',
    trace_request_id: 'record',
    confidence: 'record',
    notes: 'internal_note',
    ...mutable,
    ...review,
    ...sensitivity,
  },
  trace_request_documents: {
    id: 'record',
    investigation_id: 'record',
    trace_request_id: 'record',
    media_id: 'record',
    kind: 'record',
    description: 'internal_note',
    ...mutable,
  },
  sync_operations: {
    op_id: 'device',
    user_id: 'personal',
    investigation_id: 'record',
    operation_type: 'record',
    record_type: 'record',
    record_id: 'record',
    body_sha256: 'record',
    device_id: 'device',
    captured_at: 'record',
    captured_at_as_sent: 'record',
    device_time: 'device',
    received_at: 'record',
    clock_offset_seconds: 'device',
    clock_skew_flagged: 'record',
  },
  form_submissions: {
    id: 'record',
    investigation_id: 'record',
    instance_id: 'device',
    export_format: 'record',
    form_id: 'record',
    form_version: 'record',
    item_id: 'record',
    site_id: 'record',
    submitter: 'personal',
    device_started_as_sent: 'device',
    device_started_at: 'device',
    device_ended_as_sent: 'device',
    device_ended_at: 'device',
    submitted_at: 'record',
    geopoint_as_sent: 'location_detail',
    import_id: 'record',
    imported_by: 'personal',
    imported_at: 'record',
  },
  media_proofs: {
    id: 'record',
    investigation_id: 'record',
    media_id: 'record',
    kind: 'record',
    // C2PA and ProofMode claims name the author, the device and often the place.
    claims: 'personal',
    signature_state: 'record',
    signature_reason: 'record',
    files: 'device',
    created_by: 'personal',
    created_at: 'record',
  },
};

/**
 * The class of one column; a column missing from the registry is treated as personal data (never released)
 * until it is classified.
 *
 * @example
 * classOfColumn('media', 'exif_device') // → 'device'
 */
export function classOfColumn(table: ExportedTable, column: string): ColumnClass {
  return personalDataColumns[table][column] ?? 'personal';
}
