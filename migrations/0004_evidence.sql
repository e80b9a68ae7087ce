-- Evidence store: what the bytes of a media file say about themselves, the
-- review flags raised when a photo's own metadata disagrees with the record it
-- is linked to, and published checkpoints of the audit chain.

-- Read from the file when it is stored and never edited afterwards: they
-- describe the bytes, like the hash. The EXIF time is the camera's clock read
-- as UTC when the file gives no offset.
ALTER TABLE media
  ADD COLUMN perceptual_hash text CHECK (perceptual_hash ~ '^[0-9a-f]{16}$'),
  ADD COLUMN pixel_width integer CHECK (pixel_width > 0),
  ADD COLUMN pixel_height integer CHECK (pixel_height > 0),
  ADD COLUMN exif_captured_at timestamptz,
  ADD COLUMN exif_latitude double precision CHECK (exif_latitude BETWEEN -90 AND 90),
  ADD COLUMN exif_longitude double precision CHECK (exif_longitude BETWEEN -180 AND 180),
  ADD COLUMN exif_device text CHECK (exif_device IS NULL OR length(exif_device) BETWEEN 1 AND 300),
  ADD CONSTRAINT media_exif_position_check CHECK ((exif_latitude IS NULL) = (exif_longitude IS NULL)),
  ADD CONSTRAINT media_pixels_check CHECK ((pixel_width IS NULL) = (pixel_height IS NULL));
CREATE INDEX media_perceptual ON media (investigation_id) WHERE perceptual_hash IS NOT NULL;

-- Raised when the link is made (photo far from the site, or taken long before
-- or after the recovery); only people resolve them.
ALTER TABLE media_links
  ADD COLUMN review_flags jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(review_flags) = 'array');

-- The head of the audit chain as it was published; `verify` checks that the
-- chain still passes through every one.
CREATE TABLE audit_checkpoints (
  id uuid PRIMARY KEY,
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  entries bigint NOT NULL CHECK (entries >= 0),
  created_by uuid REFERENCES users (id),
  created_by_label text NOT NULL,
  created_at timestamptz NOT NULL,
  note text CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000)
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
