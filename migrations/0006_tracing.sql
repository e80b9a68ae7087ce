-- Tracing: documents attached to trace requests, and instance-wide reference
-- data on recorded arms transfers (the SIPRI trade register).

-- Documents of a trace request (the letter sent, the answer, a reminder,
-- annexes) are media records of the same investigation; this table says which
-- media belong to which request and in what role. Detached links are archived.
CREATE TABLE trace_request_documents (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL,
  trace_request_id uuid NOT NULL,
  media_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('request', 'response', 'reminder', 'annex')),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text,
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL)),
  FOREIGN KEY (trace_request_id, investigation_id) REFERENCES trace_requests (id, investigation_id),
  FOREIGN KEY (media_id, investigation_id) REFERENCES media (id, investigation_id)
);
CREATE INDEX trace_request_documents_request ON trace_request_documents (trace_request_id, id);
CREATE UNIQUE INDEX trace_request_documents_active_unique ON trace_request_documents (trace_request_id, media_id)
  WHERE archived_at IS NULL;

-- One import of a reference file. Imports are kept (append-only): a newer
-- import supersedes an older one for lookups, and a lead always names the
-- import (file hash) it came from.
CREATE TABLE reference_imports (
  id uuid PRIMARY KEY,
  dataset text NOT NULL CHECK (dataset IN ('sipri_trade_register')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 500),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  encoding text NOT NULL,
  preamble text NOT NULL,
  row_count integer NOT NULL CHECK (row_count >= 0),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL
);
CREATE INDEX reference_imports_dataset ON reference_imports (dataset, created_at);
CREATE TRIGGER reference_imports_append_only BEFORE UPDATE OR DELETE ON reference_imports
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();

-- One deal of the SIPRI trade register, as published. The `_uncertain` flags
-- hold SIPRI's '?' marks; party kinds come from its '*' (non-state actor) and
-- '**' (international organisation) suffixes, which are kept in the names.
CREATE TABLE reference_transfers (
  id uuid PRIMARY KEY,
  import_id uuid NOT NULL REFERENCES reference_imports (id),
  line_number integer NOT NULL CHECK (line_number >= 1),
  supplier text NOT NULL CHECK (length(supplier) >= 1),
  supplier_kind text NOT NULL CHECK (supplier_kind IN ('state', 'non_state', 'organisation')),
  recipient text NOT NULL CHECK (length(recipient) >= 1),
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('state', 'non_state', 'organisation')),
  order_year integer CHECK (order_year BETWEEN 1900 AND 2200),
  order_year_uncertain boolean NOT NULL,
  number_ordered integer CHECK (number_ordered >= 0),
  number_ordered_uncertain boolean NOT NULL,
  designation text NOT NULL CHECK (length(designation) >= 1),
  -- Folded forms (lower case, letters and digits only) of the designation and
  -- of its parts, so "BM-21 Grad 122mm" is found from "bm 21".
  designation_keys text[] NOT NULL,
  description text NOT NULL,
  number_delivered integer CHECK (number_delivered >= 0),
  number_delivered_uncertain boolean NOT NULL,
  delivery_years integer[] NOT NULL,
  status text NOT NULL,
  comments text NOT NULL,
  tiv_per_unit double precision,
  tiv_total_order double precision,
  tiv_delivered double precision,
  UNIQUE (import_id, line_number)
);
CREATE INDEX reference_transfers_keys ON reference_transfers USING gin (designation_keys);
CREATE TRIGGER reference_transfers_append_only BEFORE UPDATE OR DELETE ON reference_transfers
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
