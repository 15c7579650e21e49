-- A text-search index keyed by department. A trigram index lists, for each trigram, the matching records of every
-- department, so a search by a caller limited to one department reads (and discards) the other departments'
-- entries too: its cost grew with records the caller cannot see. Here each record is indexed under
-- "department|trigram" tokens, one per run of three letters or digits in its name and description, so such a
-- search reads its own department's entries only. The query side (Domain/EquipmentSearchTokens.cs) builds the
-- tokens of the search text; they narrow the search, and the LIKE conditions still decide it. Only core functions
-- are used, so the function and the index exist on every installation.
--
-- COST: computing the tokens of a row is far dearer than an ordinary condition; the planner is told so, and
-- takes them from the index rather than computing them row by row.
CREATE FUNCTION equipment_search_tokens(department text, name text, description text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10000
AS $$
    SELECT coalesce(array_agg(DISTINCT coalesce(department, '') || '|' || substr(word, position, 3)), '{}')
    FROM regexp_split_to_table(lower(coalesce(name, '') || ' ' || coalesce(description, '')), '[^[:alnum:]]+') AS word,
         generate_series(1, length(word) - 2) AS position
$$;

CREATE INDEX ix_equipment_department_search_tokens
    ON equipment USING gin (equipment_search_tokens(department, name, description));

-- What queries call: a one-expression SQL function, which PostgreSQL inlines, so that the planner sees
-- equipment_search_tokens(...) @> tokens and answers it from the index above.
CREATE FUNCTION equipment_search_tokens_match(department text, name text, description text, tokens text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT equipment_search_tokens(department, name, description) @> tokens
$$;
