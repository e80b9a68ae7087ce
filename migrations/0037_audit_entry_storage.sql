-- Audit entries stored without compression (docs/benchmarks.md, "Import at COPY speed"). An import batch's entry
-- lists every row it created with the SHA-256 of its snapshot (audit/import-batches.ts): about 1.5 MB of JSON per
-- 10,000 rows, ids and hex digests that pglz cannot shrink (stored, they came out larger than the text). Trying
-- anyway cost the database about 0.4 s of CPU per 100,000 markings, on the one connection that carries the
-- import, a tenth of the database's work in the load. EXTERNAL keeps large values out of line as before, only
-- uncompressed; an ordinary entry (one row's snapshot) stays below the out-of-line threshold and is not affected.
-- The values, and so the hash chain, are unchanged.
ALTER TABLE audit_log ALTER COLUMN before SET STORAGE EXTERNAL;
ALTER TABLE audit_log ALTER COLUMN after SET STORAGE EXTERNAL;
