-- Files uploaded for an import, kept between the preview and the confirmation (scale-out, item 1: stateless
-- servers). The bytes are in the evidence store's staging area (`staging/<id>`: a random id, never a hash of
-- originals, not evidence); this row says whose they are, which bytes (the SHA-256 the confirmation names) and
-- until when, so the preview may reach one server and the confirmation another. Removed once imported or expired
-- (any server sweeps: the row is deleted first, then its object). Operational state, not evidence: not audited.
CREATE TABLE import_uploads (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
-- One kept file per user, investigation and bytes: uploading the same bytes again starts their hour again.
CREATE UNIQUE INDEX import_uploads_file ON import_uploads (user_id, investigation_id, sha256);
CREATE INDEX import_uploads_expiry ON import_uploads (expires_at);
