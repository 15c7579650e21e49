-- Signing keys for access tokens (private keys encrypted under the master key) and rotating refresh tokens.
CREATE TABLE signing_keys (
    kid          TEXT    NOT NULL PRIMARY KEY,
    algorithm    TEXT    NOT NULL,
    private_key  TEXT    NOT NULL,
    public_jwk   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    activates_at INTEGER NOT NULL,
    retire_at    INTEGER NULL,
    expires_at   INTEGER NULL
);

CREATE TABLE token_families (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr           TEXT    NOT NULL,
    fingerprint   TEXT    NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    last_used_at  INTEGER NOT NULL,
    revoked_at    INTEGER NULL,
    revoked_reason TEXT   NULL
);
CREATE INDEX ix_token_families_user ON token_families (user_id);

CREATE TABLE refresh_tokens (
    token_hash   TEXT    NOT NULL PRIMARY KEY,
    family_id    TEXT    NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    consumed_at  INTEGER NULL
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
