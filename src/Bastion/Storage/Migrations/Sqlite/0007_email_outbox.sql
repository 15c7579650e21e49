-- The durable e-mail outbox: a message is a row from the moment it is queued (in the caller's transaction, when it
-- has one) until it has been handed to the mail server. Subject, bodies and the recipient's name are sealed with
-- AES-256-GCM under a subkey of the master key (content); the address stays readable for the operator.
-- A row is claimed with a lease (locked_until), deleted once sent, and marked failed (failed_at) when it cannot be
-- sent; failed rows are deleted after Bastion:Email:FailedRetention. Times are Unix milliseconds.
CREATE TABLE email_outbox (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    recipient    TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    locked_until INTEGER NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    failed_at    INTEGER NULL,
    last_error   TEXT    NULL
);
CREATE INDEX ix_email_outbox_due ON email_outbox (due_at, id) WHERE failed_at IS NULL;
CREATE INDEX ix_email_outbox_failed ON email_outbox (failed_at) WHERE failed_at IS NOT NULL;
