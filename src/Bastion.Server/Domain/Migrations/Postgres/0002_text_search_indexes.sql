-- Trigram indexes for the equipment text search (lower(name) / lower(description) LIKE '%word%'). They let
-- PostgreSQL find rare words without reading every visible record, and give the planner statistics for those
-- expressions, so a department-limited search is not misjudged. pg_trgm ships with PostgreSQL (contrib) and is a
-- trusted extension from PostgreSQL 13; where it is missing or may not be created, the search works as before.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS ix_equipment_name_trgm ON equipment USING gin (lower(name) gin_trgm_ops);
        CREATE INDEX IF NOT EXISTS ix_equipment_description_trgm ON equipment USING gin (lower(description) gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available: equipment text search runs without trigram indexes';
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm may not be created by this role: equipment text search runs without trigram indexes';
END
$$;
