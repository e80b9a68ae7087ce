-- Review before publication (issue 13, item 1). Sites, items, markings, provenance claims and media carry a
-- review state: draft → submitted → verified (by an owner or editor who is not the record's author) → published.
--
-- Records that exist before this migration become `submitted`, not `draft`: their authors saved them as final
-- (until now a record was final the moment it was saved), so nothing is left for the author to do, but nobody
-- has checked them yet, so they must not count as verified. They go straight into the review queues. New records
-- start as `draft` whichever door they come through (API, CLI, offline sync, CSV and form imports), so every
-- door behaves the same; the author submits them when they are ready.
--
-- `verified_version` is the version a verifier checked (with who and when); it stays when a correction sends the
-- record back to `submitted`, so "last verified: version N by X at T" stays visible and the audit log holds that
-- version's values. Review transitions do not bump `version`: it counts changes of content only.
ALTER TABLE investigations
  ADD COLUMN publication_rule text NOT NULL DEFAULT 'verified' CHECK (publication_rule IN ('verified', 'submitted'));

CREATE FUNCTION armtrace_review_correction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Any change of content (a new version) to a verified or published record is a correction: it goes back to
  -- submitted and needs a new verification. Done here so that every door (API, sync, bulk, imports) obeys it.
  IF NEW.version <> OLD.version AND OLD.review_state IN ('verified', 'published')
     AND NEW.review_state = OLD.review_state THEN
    NEW.review_state := 'submitted';
  END IF;
  RETURN NEW;
END;
$$;

ALTER TABLE sites
  ADD COLUMN review_state text NOT NULL DEFAULT 'submitted'
    CHECK (review_state IN ('draft', 'submitted', 'verified', 'published')),
  ADD COLUMN verified_version integer,
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN published_by uuid REFERENCES users (id),
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT sites_verified_together
    CHECK ((verified_version IS NULL) = (verified_by IS NULL) AND (verified_by IS NULL) = (verified_at IS NULL)),
  ADD CONSTRAINT sites_verified_current CHECK (review_state <> 'verified' OR verified_version = version),
  ADD CONSTRAINT sites_published_together
    CHECK ((published_by IS NULL) = (published_at IS NULL) AND (review_state <> 'published' OR published_by IS NOT NULL));
ALTER TABLE sites ALTER COLUMN review_state SET DEFAULT 'draft';
CREATE INDEX sites_review_submitted ON sites (investigation_id) WHERE review_state = 'submitted' AND archived_at IS NULL;
CREATE TRIGGER sites_review_correction BEFORE UPDATE ON sites
  FOR EACH ROW EXECUTE FUNCTION armtrace_review_correction();

ALTER TABLE items
  ADD COLUMN review_state text NOT NULL DEFAULT 'submitted'
    CHECK (review_state IN ('draft', 'submitted', 'verified', 'published')),
  ADD COLUMN verified_version integer,
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN published_by uuid REFERENCES users (id),
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT items_verified_together
    CHECK ((verified_version IS NULL) = (verified_by IS NULL) AND (verified_by IS NULL) = (verified_at IS NULL)),
  ADD CONSTRAINT items_verified_current CHECK (review_state <> 'verified' OR verified_version = version),
  ADD CONSTRAINT items_published_together
    CHECK ((published_by IS NULL) = (published_at IS NULL) AND (review_state <> 'published' OR published_by IS NOT NULL));
ALTER TABLE items ALTER COLUMN review_state SET DEFAULT 'draft';
CREATE INDEX items_review_submitted ON items (investigation_id) WHERE review_state = 'submitted' AND archived_at IS NULL;
CREATE TRIGGER items_review_correction BEFORE UPDATE ON items
  FOR EACH ROW EXECUTE FUNCTION armtrace_review_correction();

ALTER TABLE markings
  ADD COLUMN review_state text NOT NULL DEFAULT 'submitted'
    CHECK (review_state IN ('draft', 'submitted', 'verified', 'published')),
  ADD COLUMN verified_version integer,
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN published_by uuid REFERENCES users (id),
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT markings_verified_together
    CHECK ((verified_version IS NULL) = (verified_by IS NULL) AND (verified_by IS NULL) = (verified_at IS NULL)),
  ADD CONSTRAINT markings_verified_current CHECK (review_state <> 'verified' OR verified_version = version),
  ADD CONSTRAINT markings_published_together
    CHECK ((published_by IS NULL) = (published_at IS NULL) AND (review_state <> 'published' OR published_by IS NOT NULL));
ALTER TABLE markings ALTER COLUMN review_state SET DEFAULT 'draft';
CREATE INDEX markings_review_submitted ON markings (investigation_id) WHERE review_state = 'submitted' AND archived_at IS NULL;
CREATE TRIGGER markings_review_correction BEFORE UPDATE ON markings
  FOR EACH ROW EXECUTE FUNCTION armtrace_review_correction();

ALTER TABLE provenance_claims
  ADD COLUMN review_state text NOT NULL DEFAULT 'submitted'
    CHECK (review_state IN ('draft', 'submitted', 'verified', 'published')),
  ADD COLUMN verified_version integer,
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN published_by uuid REFERENCES users (id),
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT provenance_claims_verified_together
    CHECK ((verified_version IS NULL) = (verified_by IS NULL) AND (verified_by IS NULL) = (verified_at IS NULL)),
  ADD CONSTRAINT provenance_claims_verified_current CHECK (review_state <> 'verified' OR verified_version = version),
  ADD CONSTRAINT provenance_claims_published_together
    CHECK ((published_by IS NULL) = (published_at IS NULL) AND (review_state <> 'published' OR published_by IS NOT NULL));
ALTER TABLE provenance_claims ALTER COLUMN review_state SET DEFAULT 'draft';
CREATE INDEX provenance_claims_review_submitted ON provenance_claims (investigation_id)
  WHERE review_state = 'submitted' AND archived_at IS NULL;
CREATE TRIGGER provenance_claims_review_correction BEFORE UPDATE ON provenance_claims
  FOR EACH ROW EXECUTE FUNCTION armtrace_review_correction();

ALTER TABLE media
  ADD COLUMN review_state text NOT NULL DEFAULT 'submitted'
    CHECK (review_state IN ('draft', 'submitted', 'verified', 'published')),
  ADD COLUMN verified_version integer,
  ADD COLUMN verified_by uuid REFERENCES users (id),
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN published_by uuid REFERENCES users (id),
  ADD COLUMN published_at timestamptz,
  ADD CONSTRAINT media_verified_together
    CHECK ((verified_version IS NULL) = (verified_by IS NULL) AND (verified_by IS NULL) = (verified_at IS NULL)),
  ADD CONSTRAINT media_verified_current CHECK (review_state <> 'verified' OR verified_version = version),
  ADD CONSTRAINT media_published_together
    CHECK ((published_by IS NULL) = (published_at IS NULL) AND (review_state <> 'published' OR published_by IS NOT NULL));
ALTER TABLE media ALTER COLUMN review_state SET DEFAULT 'draft';
CREATE INDEX media_review_submitted ON media (investigation_id) WHERE review_state = 'submitted' AND archived_at IS NULL;
CREATE TRIGGER media_review_correction BEFORE UPDATE ON media
  FOR EACH ROW EXECUTE FUNCTION armtrace_review_correction();
