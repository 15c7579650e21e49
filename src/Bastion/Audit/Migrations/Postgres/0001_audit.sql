-- The audit log: append-only and hash-chained (see Audit/AuditHash.cs). seq is assigned by the writer under an
-- advisory lock, not by a sequence, so that a gap always means a deleted entry. changes and details are text,
-- not jsonb: the hash covers the exact stored text, and jsonb would reorder keys.
CREATE TABLE audit_log (
    seq          bigint      NOT NULL PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    type         text        NOT NULL,
    severity     text        NOT NULL,
    outcome      text        NOT NULL,
    user_id      uuid        NULL,
    ip_address   text        NULL,
    user_agent   text        NULL,
    resource     text        NULL,
    action       text        NULL,
    entity_type  text        NULL,
    entity_id    text        NULL,
    request_id   text        NULL,
    changes      text        NULL,
    details      text        NULL,
    prev_hash    text        NOT NULL,
    hash         text        NOT NULL
);
CREATE INDEX ix_audit_log_type ON audit_log (type, seq);
CREATE INDEX ix_audit_log_user ON audit_log (user_id, seq);
CREATE INDEX ix_audit_log_entity ON audit_log (entity_type, entity_id, seq);
CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at);

-- Entries cannot be changed or removed through ordinary statements (ASVS 5.0 V16.4.2). Someone with DDL rights can
-- still drop these triggers; the hash chain is what detects that kind of tampering.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
