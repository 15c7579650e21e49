-- The durable e-mail outbox: a message is a row from the moment it is queued (in the caller's transaction, when it
-- has one) until it has been handed to the mail server. Subject, bodies and the recipient's name are sealed with
-- AES-256-GCM under a subkey of the master key (content); the address stays readable for the operator.
-- A row is claimed by a node with a lease (locked_until), deleted once sent, and marked failed (failed_at) when
-- it cannot be sent; failed rows are deleted after Bastion:Email:FailedRetention.
CREATE TABLE email_outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient    text        NOT NULL,
    category     text        NOT NULL,
    content      bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    locked_until timestamptz NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    failed_at    timestamptz NULL,
    last_error   text        NULL
);
CREATE INDEX ix_email_outbox_due ON email_outbox (due_at, id) WHERE failed_at IS NULL;
CREATE INDEX ix_email_outbox_failed ON email_outbox (failed_at) WHERE failed_at IS NOT NULL;
