-- Taking a publication back (issue 13, item 1): an owner can un-publish a record (published → verified, or → submitted
-- when the published version was never verified), with a required reason. The last un-publication is kept on the
-- record (who, when, why) beside the last publication, and the audit log holds every one (action review.unpublish).
ALTER TABLE sites
  ADD COLUMN unpublished_by uuid REFERENCES users (id),
  ADD COLUMN unpublished_at timestamptz,
  ADD COLUMN unpublish_reason text,
  ADD CONSTRAINT sites_unpublished_together
    CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL) AND (unpublished_at IS NULL) = (unpublish_reason IS NULL));
ALTER TABLE items
  ADD COLUMN unpublished_by uuid REFERENCES users (id),
  ADD COLUMN unpublished_at timestamptz,
  ADD COLUMN unpublish_reason text,
  ADD CONSTRAINT items_unpublished_together
    CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL) AND (unpublished_at IS NULL) = (unpublish_reason IS NULL));
ALTER TABLE markings
  ADD COLUMN unpublished_by uuid REFERENCES users (id),
  ADD COLUMN unpublished_at timestamptz,
  ADD COLUMN unpublish_reason text,
  ADD CONSTRAINT markings_unpublished_together
    CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL) AND (unpublished_at IS NULL) = (unpublish_reason IS NULL));
ALTER TABLE provenance_claims
  ADD COLUMN unpublished_by uuid REFERENCES users (id),
  ADD COLUMN unpublished_at timestamptz,
  ADD COLUMN unpublish_reason text,
  ADD CONSTRAINT provenance_claims_unpublished_together
    CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL) AND (unpublished_at IS NULL) = (unpublish_reason IS NULL));
ALTER TABLE media
  ADD COLUMN unpublished_by uuid REFERENCES users (id),
  ADD COLUMN unpublished_at timestamptz,
  ADD COLUMN unpublish_reason text,
  ADD CONSTRAINT media_unpublished_together
    CHECK ((unpublished_by IS NULL) = (unpublished_at IS NULL) AND (unpublished_at IS NULL) = (unpublish_reason IS NULL));
