-- Media derivatives as jobs (issue 16, item 3): the thumbnail, the preview and the perceptual hash of an image are
-- made by a `media.derivatives` job after the upload, not inside it. This table says, per original (its SHA-256:
-- derivatives are kept beside the original in the evidence store and made once per file), whether they are being
-- made, made, or could not be made, and why. The perceptual hash itself goes into the media rows (audited).
-- Operational state, not evidence: not audited, not exported. A file with no row here was stored before this
-- migration (its hash was read at upload; its thumbnail is made on first request, as it was).
CREATE TABLE media_derivatives (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  state text NOT NULL CHECK (state IN ('pending', 'ready', 'failed')),
  -- The job that made them or failed (none when the CLI made them itself, without a server).
  job_id uuid REFERENCES jobs (id),
  problem_code text,
  problem_detail text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT media_derivatives_problem CHECK ((state = 'failed') = (problem_code IS NOT NULL))
);
CREATE INDEX media_derivatives_pending ON media_derivatives (updated_at) WHERE state = 'pending';
