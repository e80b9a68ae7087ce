-- Reads that stay fast at a million items on PostgreSQL (issue 16, item 5; docs/benchmarks.md, "Scale").
--
-- The same indexes as migration 0038 of the embedded-reads work, written so that either migration may come first:
-- with both merged, the second one's statements do nothing.
--
-- The items list filtered by category or by zone is read in id order (keyset pages). Without an index that starts
-- with the filter, a category few items have (or none) was found by reading every item of the investigation: at
-- 1,000,000 items an empty page took 580 ms (a parallel sequential scan of the table). With these, a page reads
-- its 51 rows.
CREATE INDEX IF NOT EXISTS items_category ON items (investigation_id, category, id);
CREATE INDEX IF NOT EXISTS items_zone ON items (zone_id, id) WHERE zone_id IS NOT NULL;

-- Searches leave out restricted items and items at restricted sites where the reader may not see restricted
-- records (restrictedCondition in src/features/sensitivity/repository.ts). These read those few rows once per
-- statement instead of reading every item and site (1.7 s per lookup at 1,000,000 items) or looking up the item
-- and site of every marking a search scans; when nothing is restricted they are empty and cost nothing.
CREATE INDEX IF NOT EXISTS items_restricted ON items (id) WHERE sensitivity = 'restricted';
CREATE INDEX IF NOT EXISTS sites_restricted ON sites (id) WHERE sensitivity = 'restricted';

-- A search lists the oldest markings of each skeleton it ranks first (listMarkingsBySkeleton in
-- src/features/marking-search/repository.ts). Through the confusion-key index that read every marking of the key
-- and sorted them: a skeleton carried by 500 items read 500 rows from the table to keep 10 (5,000 table pages for
-- one search at 2,000,000 markings). In skeleton and id order it reads the 10.
CREATE INDEX IF NOT EXISTS markings_skeleton ON markings (skeleton, id);
