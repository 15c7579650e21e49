-- Trigram indexes that also hold the columns the access conditions filter on (department, owner), so that a
-- department-limited text search intersects "this department" with "these trigrams" inside one index and fetches
-- only its own matching rows, instead of fetching every department's matches and discarding most. A multicolumn
-- GIN index serves conditions on any subset of its columns, so these replace migration 0002's single-column ones
-- for callers who may read everything as well. Equality on text and uuid in a GIN index comes from btree_gin
-- (contrib, a trusted extension like pg_trgm); where either extension is missing or may not be created, the
-- indexes from 0002 (if any) stay.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin') THEN
        CREATE EXTENSION IF NOT EXISTS btree_gin;
        CREATE INDEX IF NOT EXISTS ix_equipment_name_scoped_trgm
            ON equipment USING gin (department, owner_id, lower(name) gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS ix_equipment_description_scoped_trgm
            ON equipment USING gin (department, owner_id, lower(description) gin_trgm_ops);
        DROP INDEX IF EXISTS ix_equipment_name_trgm;
        DROP INDEX IF EXISTS ix_equipment_description_trgm;
    ELSE
        RAISE NOTICE 'pg_trgm or btree_gin is not available: equipment text search keeps its previous indexes';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'btree_gin may not be created by this role: equipment text search keeps its previous indexes';
END
$$;
