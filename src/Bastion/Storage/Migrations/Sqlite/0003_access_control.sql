-- Permissions (resource:action with an optional condition) granted to roles; roles inherit by rank.
CREATE TABLE permissions (
    id          TEXT NOT NULL PRIMARY KEY,
    resource    TEXT NOT NULL,
    action      TEXT NOT NULL,
    condition   TEXT NULL,
    description TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_permissions_grant ON permissions (resource, action, COALESCE(condition, ''));

CREATE TABLE role_permissions (
    role_name     TEXT NOT NULL REFERENCES roles (name) ON DELETE CASCADE,
    permission_id TEXT NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
    PRIMARY KEY (role_name, permission_id)
);

CREATE INDEX ix_users_department ON users (department);

-- The default matrix; editable afterwards (PUT /api/admin/roles/{name}/permissions). Each role also holds the
-- grants of every role ranked below it.
INSERT INTO permissions (id, resource, action, condition, description) VALUES
    ('equipment:read',                      'equipment', 'read',   NULL,              'Read equipment'),
    ('equipment:create',                    'equipment', 'create', NULL,              'Create equipment'),
    ('equipment:update:owner_only',         'equipment', 'update', 'owner_only',      'Edit equipment one owns'),
    ('equipment:update:same_department',    'equipment', 'update', 'same_department', 'Edit equipment of one''s department'),
    ('equipment:update',                    'equipment', 'update', NULL,              'Edit any equipment'),
    ('equipment:delete:same_department',    'equipment', 'delete', 'same_department', 'Delete equipment of one''s department'),
    ('equipment:delete',                    'equipment', 'delete', NULL,              'Delete any equipment'),
    ('reports:read',                        'reports',   'read',   NULL,              'Read reports'),
    ('reports:create',                      'reports',   'create', NULL,              'Create reports'),
    ('reports:update:owner_only',           'reports',   'update', 'owner_only',      'Edit reports one owns'),
    ('reports:update:same_department',      'reports',   'update', 'same_department', 'Edit reports of one''s department'),
    ('reports:update',                      'reports',   'update', NULL,              'Edit any report'),
    ('reports:delete:same_department',      'reports',   'delete', 'same_department', 'Delete reports of one''s department'),
    ('reports:delete',                      'reports',   'delete', NULL,              'Delete any report'),
    ('users:read',                          'users',     'read',   NULL,              'List and read user accounts'),
    ('users:update',                        'users',     'update', NULL,              'Edit user accounts'),
    ('users:approve',                       'users',     'approve', NULL,             'Approve requested roles'),
    ('users:roles',                         'users',     'roles',  NULL,              'Assign roles up to one''s own'),
    ('users:disable',                       'users',     'disable', NULL,             'Disable accounts'),
    ('audit:read',                          'audit',     'read',   NULL,              'Read and export the audit log'),
    ('roles:manage',                        'roles',     'manage', NULL,              'Edit the role and permission matrix'),
    ('keys:rotate',                         'keys',      'rotate', NULL,              'Rotate signing keys');

INSERT INTO role_permissions (role_name, permission_id) VALUES
    ('viewer',      'equipment:read'),
    ('viewer',      'reports:read'),
    ('operator',    'equipment:create'),
    ('operator',    'equipment:update:owner_only'),
    ('operator',    'reports:create'),
    ('operator',    'reports:update:owner_only'),
    ('manager',     'equipment:update:same_department'),
    ('manager',     'equipment:delete:same_department'),
    ('manager',     'reports:update:same_department'),
    ('manager',     'reports:delete:same_department'),
    ('admin',       'users:read'),
    ('admin',       'users:update'),
    ('admin',       'users:approve'),
    ('admin',       'users:roles'),
    ('admin',       'users:disable'),
    ('admin',       'audit:read'),
    ('super_admin', 'roles:manage'),
    ('super_admin', 'keys:rotate'),
    ('super_admin', 'equipment:update'),
    ('super_admin', 'equipment:delete'),
    ('super_admin', 'reports:update'),
    ('super_admin', 'reports:delete');
