-- The note that goes with an item's latest disposal status change (who took
-- it, which clearance team it was referred to). A status, never instructions.
ALTER TABLE items ADD COLUMN disposal_note text
  CHECK (disposal_note IS NULL OR length(disposal_note) BETWEEN 1 AND 2000);
