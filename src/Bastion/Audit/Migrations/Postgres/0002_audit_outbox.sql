-- Audit entries written in the same transaction as the change they record (a transactional outbox): a change and
-- its entry commit together or not at all. The audit writer moves them into the hash chain (audit_log) right after
-- the commit, or, when the node that wrote them died first, on its next pass on any node. Same columns as audit_log
-- without the chain's seq and hashes, which only the writer may assign under its lock.
CREATE TABLE audit_outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    details      text        NULL
);
