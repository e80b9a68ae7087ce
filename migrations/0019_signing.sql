-- Signed bundles (src/features/signing, src/features/bags): the public keys of partners whose signed bags this
-- instance trusts, the signature of each audit checkpoint, and the signed bags imported into an investigation
-- with the record each of their records became. The instance's own private key is a file in the data directory,
-- never a row.

-- A partner's Ed25519 public key, trusted to sign bags (`armtrace key trust`). Named by the SHA-256 of its
-- SubjectPublicKeyInfo (DER), in hex. A key is withdrawn by archiving it, never deleted.
CREATE TABLE trusted_signing_keys (
  id uuid PRIMARY KEY,
  fingerprint text NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  public_key_pem text NOT NULL CHECK (public_key_pem LIKE '-----BEGIN PUBLIC KEY-----%'),
  note text CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  archived_at timestamptz,
  archive_reason text CHECK (archive_reason IS NULL OR length(archive_reason) BETWEEN 1 AND 1000),
  CHECK ((archived_at IS NULL) = (archive_reason IS NULL))
);

-- The instance's Ed25519 signature over a checkpoint's signing text (checkpoint-signature.ts), written in the
-- same transaction as the checkpoint. Checkpoints made before this migration have none.
CREATE TABLE audit_checkpoint_signatures (
  checkpoint_id uuid PRIMARY KEY REFERENCES audit_checkpoints (id),
  algorithm text NOT NULL CHECK (algorithm = 'ed25519'),
  signer_fingerprint text NOT NULL CHECK (signer_fingerprint ~ '^[0-9a-f]{64}$'),
  signer_name text NOT NULL CHECK (length(signer_name) BETWEEN 1 AND 200),
  public_key_pem text NOT NULL,
  signature text NOT NULL CHECK (signature ~ '^[A-Za-z0-9+/]{86}==$'),
  signed_at timestamptz NOT NULL
);
CREATE TRIGGER audit_checkpoint_signatures_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint_signatures
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();

-- One signed bag imported into an investigation (`armtrace import bag`). The bag is named by the SHA-256 of its
-- tag manifest (which covers every payload file through manifest-sha256.txt): importing the same bag again into
-- the same investigation creates nothing.
CREATE TABLE bag_imports (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  bag_sha256 text NOT NULL CHECK (bag_sha256 ~ '^[0-9a-f]{64}$'),
  signer_fingerprint text NOT NULL CHECK (signer_fingerprint ~ '^[0-9a-f]{64}$'),
  signer_name text NOT NULL,
  bagging_date text,
  exported_at text,
  origin_investigation text,
  source_id uuid NOT NULL,
  imported_by uuid NOT NULL REFERENCES users (id),
  imported_at timestamptz NOT NULL,
  UNIQUE (investigation_id, bag_sha256),
  FOREIGN KEY (source_id, investigation_id) REFERENCES sources (id, investigation_id)
);
CREATE TRIGGER bag_imports_append_only BEFORE UPDATE OR DELETE ON bag_imports
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();

-- Each record a bag import created: which table, the id it had in the bag, the id it has here.
CREATE TABLE bag_import_records (
  id uuid PRIMARY KEY,
  bag_import_id uuid NOT NULL REFERENCES bag_imports (id),
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  bag_sha256 text NOT NULL CHECK (bag_sha256 ~ '^[0-9a-f]{64}$'),
  record_type text NOT NULL CHECK (record_type IN ('sites', 'zones', 'items', 'markings', 'custody_events', 'media', 'media_links')),
  original_id uuid NOT NULL,
  record_id uuid NOT NULL,
  UNIQUE (investigation_id, bag_sha256, record_type, original_id)
);
CREATE INDEX bag_import_records_record ON bag_import_records (record_id);
CREATE TRIGGER bag_import_records_append_only BEFORE UPDATE OR DELETE ON bag_import_records
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
