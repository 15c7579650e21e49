-- Access-token revocations that outlive the state store (issue: a Redis restart without persistence must not make a
-- revoked token valid again). The database is the source of truth; Redis only broadcasts them to the other nodes.
-- kind 't': one token by jti, until it expires; kind 'u': every token of a user issued before not_before.
-- Families need no rows here: token_families.revoked_at is their record, read through the partial index below.
CREATE TABLE access_token_revocations (
    kind        text        NOT NULL,
    id          text        NOT NULL,
    not_before  timestamptz NOT NULL,
    until       timestamptz NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX ix_access_token_revocations_until ON access_token_revocations (until);
CREATE INDEX ix_token_families_revoked_at ON token_families (revoked_at) WHERE revoked_at IS NOT NULL;
