-- armtrace core schema. Applied identically on PGlite and PostgreSQL >= 15.
-- Rules kept in the database as well as at the edge: enumerations, ranges,
-- cross-table consistency (a child row always belongs to its parent's
-- investigation), append-only tables.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE FUNCTION armtrace_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation', HINT = 'append_only';
END;
$$;

CREATE TABLE users (
  id uuid PRIMARY KEY,
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  password_hash text NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL))
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);

CREATE TABLE investigations (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
  summary text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL))
);

CREATE TABLE memberships (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  role text NOT NULL CHECK (role IN ('owner', 'editor', 'investigator', 'viewer')),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL))
);
CREATE UNIQUE INDEX memberships_active_unique ON memberships (investigation_id, user_id)
  WHERE archived_at IS NULL;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sources (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  kind text NOT NULL CHECK (kind IN ('field_documentation', 'media_report', 'official_document', 'interview', 'other')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 500),
  publisher text,
  url text CHECK (url IS NULL OR url ~ '^https?://'),
  language text CHECK (language IS NULL OR language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  published_on date,
  excerpt text,
  credit_line text,
  reliability text CHECK (reliability IN ('A', 'B', 'C', 'D', 'E', 'F')),
  credibility integer CHECK (credibility BETWEEN 1 AND 6),
  notes text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  UNIQUE (id, investigation_id)
);
CREATE INDEX sources_investigation ON sources (investigation_id, id);

CREATE TABLE sites (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  external_ref text CHECK (external_ref IS NULL OR length(external_ref) BETWEEN 1 AND 100),
  site_type text NOT NULL CHECK (site_type IN ('cache', 'production_workshop', 'storage_depot', 'incident_scene', 'checkpoint', 'other')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
  names jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(names) = 'object'),
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  precision_m double precision CHECK (precision_m > 0),
  area jsonb CHECK (area IS NULL OR area ->> 'type' IN ('Polygon', 'MultiPolygon')),
  recovered_by text,
  recovered_on date,
  context text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  CHECK ((latitude IS NULL) = (longitude IS NULL)),
  UNIQUE (id, investigation_id),
  UNIQUE (investigation_id, external_ref)
);
CREATE INDEX sites_investigation ON sites (investigation_id, id);

CREATE TABLE zones (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  site_id uuid NOT NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id),
  UNIQUE (id, site_id)
);
CREATE INDEX zones_site ON zones (site_id, id);

CREATE TABLE items (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  site_id uuid NOT NULL,
  zone_id uuid,
  external_ref text CHECK (external_ref IS NULL OR length(external_ref) BETWEEN 1 AND 100),
  category text NOT NULL CHECK (category IN (
    'small_arm', 'light_weapon', 'launcher', 'rocket', 'rocket_motor', 'tail_fin_assembly',
    'mortar_bomb', 'artillery_projectile', 'aircraft_bomb', 'fuze', 'primer_detonator',
    'cartridges', 'ied_component', 'precursor_chemical', 'packaging', 'production_tool',
    'document', 'other')),
  model text CHECK (model IS NULL OR length(model) <= 200),
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 100000000),
  assembly_state text CHECK (assembly_state IN ('complete', 'incomplete', 'component')),
  condition text CHECK (condition IN ('new', 'good', 'worn', 'corroded', 'damaged')),
  production_type text NOT NULL DEFAULT 'unknown' CHECK (production_type IN ('factory', 'craft', 'unknown')),
  observations text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  fuze_fitted text CHECK (fuze_fitted IN ('yes', 'no', 'unknown')),
  safety_device_fitted text CHECK (safety_device_fitted IN ('yes', 'no', 'unknown')),
  disposal_status text NOT NULL DEFAULT 'in_place' CHECK (disposal_status IN (
    'in_place', 'moved_to_storage', 'rendered_safe', 'destroyed', 'transferred')),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id),
  FOREIGN KEY (zone_id, site_id) REFERENCES zones (id, site_id),
  UNIQUE (id, investigation_id),
  UNIQUE (investigation_id, external_ref)
);
CREATE INDEX items_investigation ON items (investigation_id, id);
CREATE INDEX items_site ON items (site_id, id);
CREATE INDEX items_hazard ON items (investigation_id)
  WHERE fuze_fitted IN ('yes', 'unknown') AND disposal_status NOT IN ('rendered_safe', 'destroyed')
    AND archived_at IS NULL;

CREATE TABLE markings (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  item_id uuid NOT NULL,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
  normalized text NOT NULL,
  kind text NOT NULL CHECK (kind IN (
    'serial', 'lot', 'factory_code', 'year', 'headstamp', 'model', 'stock_number', 'contract', 'other')),
  position text CHECK (position IS NULL OR length(position) <= 200),
  script text CHECK (script IS NULL OR script ~ '^[A-Z][a-z]{3}$' OR script = 'mixed'),
  legibility text NOT NULL DEFAULT 'legible' CHECK (legibility IN ('legible', 'partial', 'illegible')),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id),
  UNIQUE (id, investigation_id)
);
CREATE INDEX markings_item ON markings (item_id, id);
CREATE INDEX markings_investigation ON markings (investigation_id, id);
CREATE INDEX markings_normalized_trgm ON markings USING gin (normalized gin_trgm_ops);

CREATE TABLE media (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  media_type text NOT NULL CHECK (media_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  original_filename text,
  captured_at timestamptz,
  captured_by text,
  source_id uuid,
  credit text,
  licence text,
  original_url text CHECK (original_url IS NULL OR original_url ~ '^https?://'),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  FOREIGN KEY (source_id, investigation_id) REFERENCES sources (id, investigation_id),
  UNIQUE (id, investigation_id)
);
CREATE INDEX media_investigation ON media (investigation_id, id);
CREATE INDEX media_sha256 ON media (sha256);

CREATE TABLE media_links (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  media_id uuid NOT NULL,
  site_id uuid,
  item_id uuid,
  marking_id uuid,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  CHECK (num_nonnulls(site_id, item_id, marking_id) = 1),
  FOREIGN KEY (media_id, investigation_id) REFERENCES media (id, investigation_id),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id),
  FOREIGN KEY (marking_id, investigation_id) REFERENCES markings (id, investigation_id)
);
CREATE INDEX media_links_media ON media_links (media_id);

CREATE TABLE custody_events (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  item_id uuid NOT NULL,
  from_party text NOT NULL CHECK (length(btrim(from_party)) BETWEEN 1 AND 300),
  to_party text NOT NULL CHECK (length(btrim(to_party)) BETWEEN 1 AND 300),
  occurred_at timestamptz NOT NULL,
  place text,
  note text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id)
);
CREATE INDEX custody_events_item ON custody_events (item_id, occurred_at);
CREATE TRIGGER custody_events_append_only BEFORE UPDATE OR DELETE ON custody_events
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();

CREATE TABLE incidents (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  incident_type text NOT NULL CHECK (incident_type IN ('malfunction', 'accident', 'seizure', 'attack', 'other')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 300),
  occurred_on date,
  site_id uuid,
  latitude double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude double precision CHECK (longitude BETWEEN -180 AND 180),
  place text,
  killed integer CHECK (killed >= 0),
  injured integer CHECK (injured >= 0),
  description text NOT NULL DEFAULT '',
  source_id uuid,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  CHECK ((latitude IS NULL) = (longitude IS NULL)),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id),
  FOREIGN KEY (source_id, investigation_id) REFERENCES sources (id, investigation_id),
  UNIQUE (id, investigation_id)
);
CREATE INDEX incidents_investigation ON incidents (investigation_id, id);

CREATE TABLE incident_items (
  incident_id uuid NOT NULL,
  item_id uuid NOT NULL,
  investigation_id uuid NOT NULL,
  PRIMARY KEY (incident_id, item_id),
  FOREIGN KEY (incident_id, investigation_id) REFERENCES incidents (id, investigation_id),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id)
);

CREATE TABLE actors (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  actor_type text NOT NULL CHECK (actor_type IN ('manufacturer', 'state', 'company', 'armed_group', 'unit', 'other')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 300),
  aliases text[] NOT NULL DEFAULT '{}',
  country_code text CHECK (country_code ~ '^[A-Z]{2}$'),
  notes text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  UNIQUE (id, investigation_id)
);
CREATE INDEX actors_investigation ON actors (investigation_id, id);

CREATE TABLE trace_requests (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  addressee_id uuid NOT NULL,
  subject text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 300),
  lot_marking text,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN (
    'draft', 'sent', 'acknowledged', 'answered', 'no_response', 'declined', 'closed')),
  sent_on date,
  due_on date,
  response_text text,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  CHECK (due_on IS NULL OR sent_on IS NULL OR due_on >= sent_on),
  FOREIGN KEY (addressee_id, investigation_id) REFERENCES actors (id, investigation_id),
  UNIQUE (id, investigation_id)
);
CREATE INDEX trace_requests_investigation ON trace_requests (investigation_id, id);

CREATE TABLE trace_request_items (
  trace_request_id uuid NOT NULL,
  item_id uuid NOT NULL,
  investigation_id uuid NOT NULL,
  PRIMARY KEY (trace_request_id, item_id),
  FOREIGN KEY (trace_request_id, investigation_id) REFERENCES trace_requests (id, investigation_id),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id)
);

CREATE TABLE provenance_claims (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  item_id uuid,
  lot_marking text,
  event_type text NOT NULL CHECK (event_type IN ('produced', 'exported', 'transferred', 'diverted', 'recovered')),
  actor_id uuid,
  counterpart_id uuid,
  occurred_from date,
  occurred_to date,
  place text,
  source_id uuid,
  trace_request_id uuid,
  confidence text NOT NULL CHECK (confidence IN ('confirmed', 'probable', 'possible')),
  notes text NOT NULL DEFAULT '',
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  CHECK (num_nonnulls(item_id, lot_marking) = 1),
  CHECK (occurred_to IS NULL OR occurred_from IS NULL OR occurred_to >= occurred_from),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id),
  FOREIGN KEY (actor_id, investigation_id) REFERENCES actors (id, investigation_id),
  FOREIGN KEY (counterpart_id, investigation_id) REFERENCES actors (id, investigation_id),
  FOREIGN KEY (source_id, investigation_id) REFERENCES sources (id, investigation_id),
  FOREIGN KEY (trace_request_id, investigation_id) REFERENCES trace_requests (id, investigation_id)
);
CREATE INDEX provenance_claims_investigation ON provenance_claims (investigation_id, id);

-- One row per change, hash-chained: hash = sha256(canonical(event) || prev_hash).
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  at timestamptz NOT NULL,
  actor_id uuid REFERENCES users (id),
  actor_label text NOT NULL,
  via text NOT NULL CHECK (via IN ('api', 'cli', 'system')),
  action text NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  investigation_id uuid,
  before jsonb,
  after jsonb,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX audit_log_investigation ON audit_log (investigation_id, seq);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
