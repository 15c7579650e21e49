-- Second factors, recovery codes, verified e-mail addresses, and the single-use tokens e-mailed for password reset
-- and address verification (stored as SHA-256 hashes only).
ALTER TABLE users ADD COLUMN totp_secret TEXT NULL;
ALTER TABLE users ADD COLUMN email_mfa_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN recovery_codes TEXT NULL;
ALTER TABLE users ADD COLUMN mfa_enabled_at INTEGER NULL;
ALTER TABLE users ADD COLUMN email_verified_at INTEGER NULL;

CREATE TABLE account_tokens (
    token_hash     TEXT    NOT NULL PRIMARY KEY,
    user_id        TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose        TEXT    NOT NULL,
    security_stamp TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used_at        INTEGER NULL
);
CREATE INDEX ix_account_tokens_user_purpose ON account_tokens (user_id, purpose);
