-- Proofs that come with a photo (src/features/media/proofs.ts): a C2PA manifest embedded in the file, or the
-- ProofMode bundle (zip) it arrived in. The proof's own bytes (the manifest store as embedded, the .proof.json /
-- .proof.csv, the OpenPGP signatures, the signer's public key, the bundle) are kept in the evidence store beside
-- the original, addressed by their SHA-256, and listed in `files`; the original itself is never altered.
-- `claims` is what the proof says (generator, signer, assertions, actions, proof fields); `signature_state` is
-- whether its signature was verified against the key or certificate shipped with it, and `signature_reason` why:
-- a proof whose signature fails is still recorded (and its photo kept), marked invalid.
CREATE TABLE media_proofs (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  media_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('c2pa', 'proofmode')),
  claims jsonb NOT NULL CHECK (jsonb_typeof(claims) = 'object'),
  signature_state text NOT NULL CHECK (signature_state IN ('verified', 'invalid', 'unverifiable')),
  signature_reason text NOT NULL CHECK (length(signature_reason) BETWEEN 1 AND 2000),
  files jsonb NOT NULL CHECK (jsonb_typeof(files) = 'array'),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  FOREIGN KEY (media_id, investigation_id) REFERENCES media (id, investigation_id)
);
CREATE INDEX media_proofs_media ON media_proofs (media_id);
CREATE INDEX media_proofs_investigation ON media_proofs (investigation_id);
CREATE TRIGGER media_proofs_append_only BEFORE UPDATE OR DELETE ON media_proofs
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
