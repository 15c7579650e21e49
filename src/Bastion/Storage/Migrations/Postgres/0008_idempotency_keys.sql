-- Responses to creates sent with an Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): a client that
-- retries after an error gets the stored answer instead of a second record. A row commits in the transaction of the
-- change it answers, so it exists exactly when the change does. Keys are per caller and kept for a day.
CREATE TABLE idempotency_keys (
    user_id       uuid        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    status        integer     NOT NULL,
    location      text        NULL,
    content_type  text        NULL,
    body          bytea       NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);
