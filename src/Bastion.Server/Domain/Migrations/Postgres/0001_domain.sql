-- The sample business data: equipment (serial number, cost and notes encrypted), its attachments, and reports.
CREATE TABLE equipment (
    id                uuid NOT NULL PRIMARY KEY,
    name              text    NOT NULL,
    serial_number     text    NOT NULL,
    serial_index      text    NOT NULL,
    cost              text    NOT NULL,
    description       text    NULL,
    notes             text    NULL,
    owner_id          uuid    NOT NULL REFERENCES users (id),
    department        text    NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    deleted_at        timestamptz NULL
);
CREATE INDEX ix_equipment_serial_index ON equipment (serial_index);
CREATE INDEX ix_equipment_owner ON equipment (owner_id, created_at);
CREATE INDEX ix_equipment_department ON equipment (department, created_at);
CREATE INDEX ix_equipment_created ON equipment (created_at);

CREATE TABLE equipment_attachments (
    id            uuid NOT NULL PRIMARY KEY,
    equipment_id  uuid    NOT NULL REFERENCES equipment (id),
    file_name     text    NOT NULL,
    content_type  text    NOT NULL,
    size          bigint      NOT NULL,
    sha256        text    NOT NULL,
    storage_key   text    NOT NULL,
    uploaded_by   uuid    NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX ix_equipment_attachments_equipment ON equipment_attachments (equipment_id);

CREATE TABLE reports (
    id                 uuid NOT NULL PRIMARY KEY,
    document_title     text    NOT NULL,
    document_reference text    NOT NULL,
    project_reference  text    NOT NULL,
    client_name        text    NOT NULL,
    owner_id           uuid    NOT NULL REFERENCES users (id),
    department         text    NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz NULL
);
CREATE INDEX ix_reports_owner ON reports (owner_id, created_at);
CREATE INDEX ix_reports_department ON reports (department, created_at);
