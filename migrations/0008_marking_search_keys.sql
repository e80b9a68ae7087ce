-- Marking search, complete up to two errors (docs/markings.md, "How candidates
-- are found"). A confusion key is cut into four segments by its length; a key
-- within two edits, swaps or unreadable characters of a query keeps at least
-- two of the four intact, each at most two places from where the query has
-- them. Each pair of segments, tagged with the key's length and which pair it
-- is, is indexed as a 32-bit hash: six entries a key. The search asks for the
-- pairs a near key could share with the query and checks each key found by its
-- Levenshtein distance (src/features/markings/candidates.ts cuts the query the
-- same way; keep the two in step).
--
-- The pairs are indexed once per distinct confusion key, in a table of the
-- keys (a factory code or a headstamp is carried by thousands of markings; the
-- search checks a key, then reads a few of its markings). The table is derived
-- data, like the keys themselves: filled by triggers, so every writer (the
-- API, the importer, the lazy fill of 0005's keys) keeps it complete without
-- knowing of it; not audited; a key no marking has any more is harmless (the
-- search finds no marking of it).

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

CREATE TABLE marking_search_keys (confusion_key text PRIMARY KEY);
CREATE INDEX marking_search_keys_pairs ON marking_search_keys USING gin (marking_key_segment_pairs(confusion_key));

CREATE FUNCTION marking_search_keys_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO marking_search_keys (confusion_key)
    SELECT DISTINCT confusion_key FROM written_markings WHERE confusion_key IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

-- Once per statement: an import batch of 10,000 markings adds its keys in one INSERT.
CREATE TRIGGER markings_search_keys_inserted AFTER INSERT ON markings
  REFERENCING NEW TABLE AS written_markings FOR EACH STATEMENT EXECUTE FUNCTION marking_search_keys_add();
CREATE TRIGGER markings_search_keys_updated AFTER UPDATE ON markings
  REFERENCING NEW TABLE AS written_markings FOR EACH STATEMENT EXECUTE FUNCTION marking_search_keys_add();

INSERT INTO marking_search_keys (confusion_key)
  SELECT DISTINCT confusion_key FROM markings WHERE confusion_key IS NOT NULL;
