// Tracing: sources, incidents, actors, trace requests, provenance claims and the reference register
// (src/db/tables.ts).
import type { ColumnType } from 'kysely';
import type {
  DateOnly,
  DefaultedText,
  DefaultedTextArray,
  MutableColumns,
  ReviewColumns,
  SensitivityColumns,
} from './columns.js';

export interface SourcesTable extends MutableColumns {
  id: string;
  investigation_id: string;
  kind: string;
  title: string;
  publisher: string | null;
  url: string | null;
  language: string | null;
  published_on: DateOnly | null;
  excerpt: string | null;
  credit_line: string | null;
  reliability: string | null;
  credibility: number | null;
  notes: DefaultedText;
}

export interface IncidentsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  incident_type: string;
  title: string;
  occurred_on: DateOnly | null;
  site_id: string | null;
  latitude: number | null;
  longitude: number | null;
  place: string | null;
  killed: number | null;
  injured: number | null;
  description: DefaultedText;
  source_id: string | null;
}

export interface IncidentItemsTable {
  incident_id: string;
  item_id: string;
  investigation_id: string;
}

/** Added by 0017_incident_sites.sql: the sites an incident involves (incidents.site_id is the first of them). */
export interface IncidentSitesTable {
  incident_id: string;
  site_id: string;
  investigation_id: string;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface ActorsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  actor_type: string;
  name: string;
  aliases: DefaultedTextArray;
  country_code: string | null;
  notes: DefaultedText;
  /** Added by 0002_actors_tracing.sql: name and aliases, NFKC and lower case, one per line. */
  names_folded: string;
}

export interface TraceRequestsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  addressee_id: string;
  subject: string;
  lot_marking: string | null;
  status: DefaultedText;
  sent_on: DateOnly | null;
  due_on: DateOnly | null;
  response_text: string | null;
}

export interface TraceRequestItemsTable {
  trace_request_id: string;
  item_id: string;
  investigation_id: string;
}

export interface ProvenanceClaimsTable extends MutableColumns, ReviewColumns, SensitivityColumns {
  id: string;
  investigation_id: string;
  item_id: string | null;
  lot_marking: string | null;
  /** Added by 0002_actors_tracing.sql: the lot marking normalized like markings.normalized. */
  lot_normalized: string | null;
  event_type: string;
  actor_id: string | null;
  counterpart_id: string | null;
  occurred_from: DateOnly | null;
  occurred_to: DateOnly | null;
  place: string | null;
  source_id: string | null;
  trace_request_id: string | null;
  confidence: string;
  notes: DefaultedText;
}

export interface TraceRequestDocumentsTable extends MutableColumns {
  id: string;
  investigation_id: string;
  trace_request_id: string;
  media_id: string;
  kind: string;
  description: DefaultedText;
}

/** Added by 0006_tracing.sql: one import of a reference file (append-only). */
export interface ReferenceImportsTable {
  id: string;
  dataset: string;
  file_name: string;
  sha256: string;
  encoding: string;
  preamble: string;
  row_count: number;
  created_by: string;
  created_at: Date;
}

/** Added by 0006_tracing.sql: one deal of the SIPRI trade register (append-only). */
export interface ReferenceTransfersTable {
  id: string;
  import_id: string;
  line_number: number;
  supplier: string;
  supplier_kind: string;
  recipient: string;
  recipient_kind: string;
  order_year: number | null;
  order_year_uncertain: boolean;
  number_ordered: number | null;
  number_ordered_uncertain: boolean;
  designation: string;
  designation_keys: string[];
  description: string;
  number_delivered: number | null;
  number_delivered_uncertain: boolean;
  delivery_years: number[];
  status: string;
  comments: string;
  tiv_per_unit: number | null;
  tiv_total_order: number | null;
  tiv_delivered: number | null;
}
