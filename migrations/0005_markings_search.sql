-- Marking search (docs/markings.md). Two forms derived from the transcription
-- by the application (src/features/markings/normalize.ts), coarser than
-- `normalized`:
--   skeleton      look-alike letters folded (ЗВ = 3B), every digit script as
--                 ASCII, separators removed: equal skeletons are one marking;
--   confusion_key the skeleton with easily misread characters collapsed
--                 (0/O/D/Q, 1/I/L/|, 5/S, 8/B, 2/Z, 6/G): only used to find
--                 candidates, which the weighted distance then ranks.
-- Both are derived, so the audit snapshot leaves them out (like a password
-- hash, they are not part of what was recorded). NULL means "not computed
-- yet": rows written before this migration, or by code that does not know
-- the columns, are filled in by the application before it searches.
ALTER TABLE markings ADD COLUMN skeleton text;
ALTER TABLE markings ADD COLUMN confusion_key text;

-- Candidates: trigrams for fuzzy and infix patterns, a pattern btree for
-- equality and prefixes (LIKE 'ab12%' on any collation). A skeleton is found
-- through its confusion key, so the skeleton needs no index of its own.
CREATE INDEX markings_confusion_trgm ON markings USING gin (confusion_key gin_trgm_ops);
CREATE INDEX markings_confusion_prefix ON markings (confusion_key text_pattern_ops);
CREATE INDEX markings_search_keys_missing ON markings (id) WHERE skeleton IS NULL;

-- The search no longer compares `normalized` by trigrams; the confusion key
-- index replaces this one.
DROP INDEX markings_normalized_trgm;
