-- Second factors, recovery codes, verified e-mail addresses, and the single-use tokens e-mailed for password reset
-- and address verification (stored as SHA-256 hashes only).
ALTER TABLE users
    ADD COLUMN totp_secret       text        NULL,
    ADD COLUMN email_mfa_enabled boolean     NOT NULL DEFAULT false,
    ADD COLUMN recovery_codes    text        NULL,
    ADD COLUMN mfa_enabled_at    timestamptz NULL,
    ADD COLUMN email_verified_at timestamptz NULL;

CREATE TABLE account_tokens (
    token_hash     text        NOT NULL PRIMARY KEY,
    user_id        uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose        text        NOT NULL,
    security_stamp text        NOT NULL,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz NULL
);
CREATE INDEX ix_account_tokens_user_purpose ON account_tokens (user_id, purpose);
