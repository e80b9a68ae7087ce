-- RFC 3161 trusted timestamps of audit checkpoints (issue 13, item 5). A time-stamping authority (TSA) signs
-- "this SHA-256 existed at this time"; the SHA-256 is that of the checkpoint's published line `SEQ:HASH`
-- (UTF-8, no newline). The token is kept byte for byte as the TSA sent it (DER); gen_time, tsa_name and
-- imprint_sha256 repeat what it says, for listing and look-ups only: `verify` reads the token itself.
-- A checkpoint has at most one token; a checkpoint without one (no TSA configured, or the TSA failed) can get
-- it later with `armtrace audit timestamp --retry`. Append-only, like the checkpoints.
CREATE TABLE audit_checkpoint_timestamps (
  checkpoint_id uuid PRIMARY KEY REFERENCES audit_checkpoints (id),
  token bytea NOT NULL,
  imprint_sha256 text NOT NULL CHECK (imprint_sha256 ~ '^[0-9a-f]{64}$'),
  gen_time timestamptz NOT NULL,
  tsa_name text NOT NULL,
  tsa_url text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER audit_checkpoint_timestamps_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint_timestamps
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
