-- Accounts, roles and the data-protection key ring. Times are Unix milliseconds (UTC).
CREATE TABLE users (
    id                TEXT    NOT NULL PRIMARY KEY,
    email             TEXT    NOT NULL,
    normalized_email  TEXT    NOT NULL,
    full_name         TEXT    NOT NULL,
    password_hash     TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    requested_role    TEXT    NULL,
    department        TEXT    NULL,
    security_stamp    TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    last_login_at     INTEGER NULL
);
CREATE UNIQUE INDEX ux_users_normalized_email ON users (normalized_email);

CREATE TABLE roles (
    name        TEXT    NOT NULL PRIMARY KEY,
    rank        INTEGER NOT NULL,
    description TEXT    NOT NULL
);

CREATE TABLE user_roles (
    user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_name TEXT NOT NULL REFERENCES roles (name),
    PRIMARY KEY (user_id, role_name)
);

INSERT INTO roles (name, rank, description) VALUES
    ('super_admin', 50, 'Manages roles and everything else'),
    ('admin',       40, 'Manages users and reads the audit log'),
    ('manager',     30, 'Edits and deletes within its department'),
    ('operator',    20, 'Creates records and edits its own'),
    ('viewer',      10, 'Reads');

CREATE TABLE data_protection_keys (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT    NULL,
    xml           TEXT    NULL
);
