-- Access-token revocations that outlive the state store (a restart of it must not make a revoked token valid again).
-- The database is the source of truth; the state store only broadcasts them to the other nodes.
-- kind 't': one token by jti, until it expires; kind 'u': every token of a user issued before not_before.
-- Families need no rows here: token_families.revoked_at is their record, read through the partial index below.
-- Times are Unix milliseconds.
CREATE TABLE access_token_revocations (
    kind        TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    not_before  INTEGER NOT NULL,
    until       INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX ix_access_token_revocations_until ON access_token_revocations (until);
CREATE INDEX ix_token_families_revoked_at ON token_families (revoked_at) WHERE revoked_at IS NOT NULL;
