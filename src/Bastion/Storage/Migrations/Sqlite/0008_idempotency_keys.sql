-- Responses to creates sent with an Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client that
-- retries after an error gets the stored answer instead of a second record. A row commits in the transaction of the
-- change it answers, so it exists exactly when the change does. Keys are per caller and kept for a day. Times are
-- Unix milliseconds.
CREATE TABLE idempotency_keys (
    user_id       TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    request_hash  TEXT    NOT NULL,
    status        INTEGER NOT NULL,
    location      TEXT    NULL,
    content_type  TEXT    NULL,
    body          BLOB    NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);
