-- Sensitivity (issue 13, item 2). Sites, items, markings, provenance claims and media carry a sensitivity:
-- public < partners < internal < restricted, with an optional reason.
--
-- * `public`, `partners` and `internal` are visible to every member of the investigation; they decide what an
--   export profile (public, partner, internal) may carry out of the organisation.
-- * `restricted` is visible only to owners (instance administrators act as owners) and to the roles an owner
--   granted it to in that investigation (`restricted_grants`, audited). Everyone else is told a restricted record
--   does not exist, as for a record of another investigation.
-- * A reason is REQUIRED for `restricted` (whoever later asks "why can I not see this?" needs an answer an owner
--   can check) and optional for the other levels; a reason is never blank.
--
-- Existing rows become `internal`, never `public`: nobody has yet decided that any record may leave the
-- organisation, and a public export must contain only what someone cleared for it. `internal` is also what every
-- member could see before this migration, so nobody loses sight of a record.
--
-- New records take their investigation's `default_sensitivity` whichever door they come through (API, CLI,
-- offline sync, CSV/XLSX/ODK/bag imports) unless the writer gives a level (with the default's reason, unless the
-- writer gives one): the column has no default after this
-- migration and a BEFORE INSERT trigger fills it in from the investigation (NOT NULL is checked after BEFORE
-- triggers, so a writer that omits it still stores a level). Changing the level is an ordinary versioned change,
-- so a change to a verified record is a correction and goes back to review (0018's trigger, as it is).
ALTER TABLE investigations
  ADD COLUMN default_sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (default_sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  -- The reason new records take with the default level (required when the default is restricted, as on records).
  ADD COLUMN default_sensitivity_reason text,
  ADD CONSTRAINT investigations_default_sensitivity_reason
    CHECK ((default_sensitivity <> 'restricted' OR default_sensitivity_reason IS NOT NULL)
      AND btrim(default_sensitivity_reason) <> '');

-- Which roles besides owners may see restricted records of an investigation; one row per granted role.
CREATE TABLE restricted_grants (
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  role text NOT NULL CHECK (role IN ('editor', 'investigator', 'viewer')),
  granted_by uuid NOT NULL REFERENCES users (id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (investigation_id, role)
);

CREATE FUNCTION armtrace_default_sensitivity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.sensitivity IS NULL THEN
    SELECT default_sensitivity, coalesce(NEW.sensitivity_reason, default_sensitivity_reason)
      INTO NEW.sensitivity, NEW.sensitivity_reason
      FROM investigations WHERE id = NEW.investigation_id;
  END IF;
  RETURN NEW;
END;
$$;

ALTER TABLE sites
  ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  ADD COLUMN sensitivity_reason text,
  ADD CONSTRAINT sites_sensitivity_reason
    CHECK ((sensitivity <> 'restricted' OR sensitivity_reason IS NOT NULL) AND btrim(sensitivity_reason) <> '');
ALTER TABLE sites ALTER COLUMN sensitivity DROP DEFAULT;
CREATE TRIGGER sites_default_sensitivity BEFORE INSERT ON sites
  FOR EACH ROW EXECUTE FUNCTION armtrace_default_sensitivity();

ALTER TABLE items
  ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  ADD COLUMN sensitivity_reason text,
  ADD CONSTRAINT items_sensitivity_reason
    CHECK ((sensitivity <> 'restricted' OR sensitivity_reason IS NOT NULL) AND btrim(sensitivity_reason) <> '');
ALTER TABLE items ALTER COLUMN sensitivity DROP DEFAULT;
CREATE TRIGGER items_default_sensitivity BEFORE INSERT ON items
  FOR EACH ROW EXECUTE FUNCTION armtrace_default_sensitivity();

ALTER TABLE markings
  ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  ADD COLUMN sensitivity_reason text,
  ADD CONSTRAINT markings_sensitivity_reason
    CHECK ((sensitivity <> 'restricted' OR sensitivity_reason IS NOT NULL) AND btrim(sensitivity_reason) <> '');
ALTER TABLE markings ALTER COLUMN sensitivity DROP DEFAULT;
CREATE TRIGGER markings_default_sensitivity BEFORE INSERT ON markings
  FOR EACH ROW EXECUTE FUNCTION armtrace_default_sensitivity();

ALTER TABLE provenance_claims
  ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  ADD COLUMN sensitivity_reason text,
  ADD CONSTRAINT provenance_claims_sensitivity_reason
    CHECK ((sensitivity <> 'restricted' OR sensitivity_reason IS NOT NULL) AND btrim(sensitivity_reason) <> '');
ALTER TABLE provenance_claims ALTER COLUMN sensitivity DROP DEFAULT;
CREATE TRIGGER provenance_claims_default_sensitivity BEFORE INSERT ON provenance_claims
  FOR EACH ROW EXECUTE FUNCTION armtrace_default_sensitivity();

ALTER TABLE media
  ADD COLUMN sensitivity text NOT NULL DEFAULT 'internal'
    CHECK (sensitivity IN ('public', 'partners', 'internal', 'restricted')),
  ADD COLUMN sensitivity_reason text,
  ADD CONSTRAINT media_sensitivity_reason
    CHECK ((sensitivity <> 'restricted' OR sensitivity_reason IS NOT NULL) AND btrim(sensitivity_reason) <> '');
ALTER TABLE media ALTER COLUMN sensitivity DROP DEFAULT;
CREATE TRIGGER media_default_sensitivity BEFORE INSERT ON media
  FOR EACH ROW EXECUTE FUNCTION armtrace_default_sensitivity();
