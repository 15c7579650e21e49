-- Indexes that let a caller limited to a department (or to their own records) search without touching the rows of
-- everyone else. Each starts with the column the access condition filters on, keeps the listing order
-- (created_at, id), and carries what the search's WHERE clause reads (deleted_at, name, description): SQLite then
-- evaluates the text search on the index entries, which lie together for one department, and reads a table row
-- only for a match (a deferred seek). The old two-column indexes, which they extend, go.
DROP INDEX ix_equipment_department;
DROP INDEX ix_equipment_owner;
CREATE INDEX ix_equipment_department_search ON equipment (department, created_at, id, deleted_at, name, description);
CREATE INDEX ix_equipment_owner_search ON equipment (owner_id, created_at, id, deleted_at, name, description);
