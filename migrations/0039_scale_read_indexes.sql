-- Reads that stay fast at a million items on PostgreSQL (issue 16, item 5; docs/benchmarks.md, "Scale"). The items
-- list's category/zone indexes and the partial indexes of restricted items and sites are migration 0038's.
--
-- A search lists the oldest markings of each skeleton it ranks first (listMarkingsBySkeleton in
-- src/features/marking-search/repository.ts). Through the confusion-key index that read every marking of the key
-- and sorted them: a skeleton carried by 500 items read 500 rows from the table to keep 10 (5,000 table pages for
-- one search at 2,000,000 markings). In skeleton and id order it reads the 10.
CREATE INDEX IF NOT EXISTS markings_skeleton ON markings (skeleton, id);
