-- Forms computed by the application so that matching does not depend on the
-- server's collation (PostgreSQL with the C locale folds only ASCII case).

-- An actor's name and aliases, NFKC and lower case, one per line: searched
-- with LIKE, so "арсенал" finds "Арсенал Север" on every server.
ALTER TABLE actors ADD COLUMN names_folded text NOT NULL DEFAULT '';

-- A provenance claim about a lot is matched to the items carrying that lot
-- marking by the lot's normalized form, computed exactly as
-- markings.normalized is (NFKC, lower case, ASCII digits, no separators).
ALTER TABLE provenance_claims ADD COLUMN lot_normalized text;
ALTER TABLE provenance_claims ADD CONSTRAINT provenance_claims_lot_normalized_check
  CHECK ((lot_marking IS NULL) = (lot_normalized IS NULL) AND lot_normalized <> '');
CREATE INDEX provenance_claims_lot ON provenance_claims (investigation_id, lot_normalized)
  WHERE lot_normalized IS NOT NULL;
CREATE INDEX provenance_claims_item ON provenance_claims (item_id) WHERE item_id IS NOT NULL;
CREATE INDEX trace_request_items_item ON trace_request_items (item_id);
