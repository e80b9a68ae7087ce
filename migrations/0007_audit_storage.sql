-- Import batch entries (src/features/audit/import-batches.ts) carry a digest
-- for every row of a batch: up to a megabyte of hex digests and UUIDs, which
-- the default TOAST compression (pglz) spends a quarter of a second per entry
-- shrinking by little. Stored out of line uncompressed, an entry costs a
-- fifth of that; ordinary entries are far below the TOAST threshold and do
-- not change.
ALTER TABLE audit_log ALTER COLUMN before SET STORAGE EXTERNAL;
ALTER TABLE audit_log ALTER COLUMN after SET STORAGE EXTERNAL;
