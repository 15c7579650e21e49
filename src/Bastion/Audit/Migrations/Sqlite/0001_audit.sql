-- The audit log: append-only and hash-chained (see Audit/AuditHash.cs). seq is assigned by the writer inside an
-- immediate transaction, never reused, so that a gap always means a deleted entry. Times are Unix milliseconds.
CREATE TABLE audit_log (
    seq          INTEGER NOT NULL PRIMARY KEY,
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
    details      TEXT    NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL
);
CREATE INDEX ix_audit_log_type ON audit_log (type, seq);
CREATE INDEX ix_audit_log_user ON audit_log (user_id, seq);
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);

-- Entries cannot be changed or removed through ordinary statements (ASVS 5.0 V16.4.2). Someone who can write the
-- file can still drop these triggers; the hash chain is what detects that kind of tampering.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
