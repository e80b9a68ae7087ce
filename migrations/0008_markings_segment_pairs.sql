-- Marking search, complete up to two errors (docs/markings.md, "How candidates
-- are found"). A confusion key is cut into four segments by its length; a key
-- within two edits or unreadable characters of a query keeps at least two of
-- the four intact, each at most two places from where the query has it. Each
-- pair of segments, tagged with the key's length and which pair it is, is
-- indexed as a 32-bit hash: six entries a marking. The search asks for the
-- pairs a near key could share with the query and checks each candidate's
-- Levenshtein distance (src/features/markings/candidates.ts computes the same
-- cuts on the query side; keep the two in step).
--
-- An expression index, not a column: nothing is stored in the row, the audit
-- snapshot does not change, and every writer (the API, the importer, the
-- lazy fill of 0005's keys) keeps it up to date without knowing of it.

-- The six pair entries of a key, none below four characters: the key's
-- length, ':', the pair (01, 02, 03, 12, 13, 23), then the two segments;
-- segment p (0-3) is characters [length*p/4, length*(p+1)/4). One SQL
-- expression, so that PostgreSQL inlines it into the index.
CREATE FUNCTION marking_key_segment_pairs(key text) RETURNS integer[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN length(key) >= 4 THEN ARRAY[
    hashtext(length(key)::text || ':01'
      || substr(key, length(key) * 0 / 4 + 1, length(key) * 1 / 4 - length(key) * 0 / 4)
      || substr(key, length(key) * 1 / 4 + 1, length(key) * 2 / 4 - length(key) * 1 / 4)),
    hashtext(length(key)::text || ':02'
      || substr(key, length(key) * 0 / 4 + 1, length(key) * 1 / 4 - length(key) * 0 / 4)
      || substr(key, length(key) * 2 / 4 + 1, length(key) * 3 / 4 - length(key) * 2 / 4)),
    hashtext(length(key)::text || ':03'
      || substr(key, length(key) * 0 / 4 + 1, length(key) * 1 / 4 - length(key) * 0 / 4)
      || substr(key, length(key) * 3 / 4 + 1, length(key) * 4 / 4 - length(key) * 3 / 4)),
    hashtext(length(key)::text || ':12'
      || substr(key, length(key) * 1 / 4 + 1, length(key) * 2 / 4 - length(key) * 1 / 4)
      || substr(key, length(key) * 2 / 4 + 1, length(key) * 3 / 4 - length(key) * 2 / 4)),
    hashtext(length(key)::text || ':13'
      || substr(key, length(key) * 1 / 4 + 1, length(key) * 2 / 4 - length(key) * 1 / 4)
      || substr(key, length(key) * 3 / 4 + 1, length(key) * 4 / 4 - length(key) * 3 / 4)),
    hashtext(length(key)::text || ':23'
      || substr(key, length(key) * 2 / 4 + 1, length(key) * 3 / 4 - length(key) * 2 / 4)
      || substr(key, length(key) * 3 / 4 + 1, length(key) * 4 / 4 - length(key) * 3 / 4))
  ] END $$;

CREATE INDEX markings_confusion_pairs ON markings USING gin (marking_key_segment_pairs(confusion_key));
