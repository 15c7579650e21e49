-- Signing keys for access tokens (private keys encrypted under the master key) and rotating refresh tokens.
CREATE TABLE signing_keys (
    kid          text        NOT NULL PRIMARY KEY,
    algorithm    text        NOT NULL,
    private_key  text        NOT NULL,
    public_jwk   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    activates_at timestamptz NOT NULL,
    retire_at    timestamptz NULL,
    expires_at   timestamptz NULL
);

CREATE TABLE token_families (
    id             uuid        NOT NULL PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    amr            text        NOT NULL,
    fingerprint    text        NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    last_used_at   timestamptz NOT NULL,
    revoked_at     timestamptz NULL,
    revoked_reason text        NULL
);
CREATE INDEX ix_token_families_user ON token_families (user_id);

CREATE TABLE refresh_tokens (
    token_hash   text        NOT NULL PRIMARY KEY,
    family_id    uuid        NOT NULL REFERENCES token_families (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    consumed_at  timestamptz NULL
);
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
