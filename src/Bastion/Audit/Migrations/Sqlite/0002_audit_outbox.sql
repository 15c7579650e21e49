-- Audit entries written in the same transaction as the change they record (a transactional outbox): a change and
-- its entry commit together or not at all. The audit writer moves them into the hash chain (audit_log) right after
-- the commit, or, when the process died first, on its next pass. Same columns as audit_log without the chain's seq
-- and hashes, which only the writer may assign. Times are Unix milliseconds.
CREATE TABLE audit_outbox (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    occurred_at  INTEGER NOT NULL,
    type         TEXT    NOT NULL,
    severity     TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    user_id      TEXT    NULL,
    ip_address   TEXT    NULL,
    user_agent   TEXT    NULL,
    resource     TEXT    NULL,
    action       TEXT    NULL,
    entity_type  TEXT    NULL,
    entity_id    TEXT    NULL,
    request_id   TEXT    NULL,
    changes      TEXT    NULL,
    details      TEXT    NULL
);
