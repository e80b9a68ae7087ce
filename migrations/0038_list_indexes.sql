-- Reads that stay fast as an investigation grows (issue 12, item 5; docs/benchmarks.md, "The embedded database as
-- it grows").
--
-- The items list filtered by category or by zone is read in id order (keyset pages). Without an index that starts
-- with the filter, a category few items have (or none) was found by reading every item of the investigation and
-- sorting the few matches: 200,000 rows for an empty page. With these, a page reads its 51 rows.
CREATE INDEX items_category ON items (investigation_id, category, id);
CREATE INDEX items_zone ON items (zone_id, id) WHERE zone_id IS NOT NULL;

-- Searches across investigations leave out restricted items and items at restricted sites
-- (restrictedCondition in src/features/sensitivity/repository.ts). These read those few rows once per statement
-- instead of looking up the item and site of every marking a search scans; when nothing is restricted they are
-- empty and cost nothing.
CREATE INDEX items_restricted ON items (id) WHERE sensitivity = 'restricted';
CREATE INDEX sites_restricted ON sites (id) WHERE sensitivity = 'restricted';
