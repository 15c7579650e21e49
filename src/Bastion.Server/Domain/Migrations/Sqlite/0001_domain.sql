-- The sample business data: equipment (serial number, cost and notes encrypted), its attachments, and reports.
CREATE TABLE equipment (
    id                TEXT    NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    serial_number     TEXT    NOT NULL,
    serial_index      TEXT    NOT NULL,
    cost              TEXT    NOT NULL,
    description       TEXT    NULL,
    notes             TEXT    NULL,
    owner_id          TEXT    NOT NULL REFERENCES users (id),
    department        TEXT    NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    deleted_at        INTEGER NULL
);
CREATE INDEX ix_equipment_serial_index ON equipment (serial_index);
CREATE INDEX ix_equipment_owner ON equipment (owner_id, created_at);
CREATE INDEX ix_equipment_department ON equipment (department, created_at);
CREATE INDEX ix_equipment_created ON equipment (created_at);

CREATE TABLE equipment_attachments (
    id            TEXT    NOT NULL PRIMARY KEY,
    equipment_id  TEXT    NOT NULL REFERENCES equipment (id),
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    storage_key   TEXT    NOT NULL,
    uploaded_by   TEXT    NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX ix_equipment_attachments_equipment ON equipment_attachments (equipment_id);

CREATE TABLE reports (
    id                 TEXT    NOT NULL PRIMARY KEY,
    document_title     TEXT    NOT NULL,
    document_reference TEXT    NOT NULL,
    project_reference  TEXT    NOT NULL,
    client_name        TEXT    NOT NULL,
    owner_id           TEXT    NOT NULL REFERENCES users (id),
    department         TEXT    NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    deleted_at         INTEGER NULL
);
CREATE INDEX ix_reports_owner ON reports (owner_id, created_at);
CREATE INDEX ix_reports_department ON reports (department, created_at);
