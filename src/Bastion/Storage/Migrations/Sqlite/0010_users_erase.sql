-- Administrators may erase an account ranked below their own (POST /api/admin/users/{id}/erase): the account is
-- anonymised like a self-deletion and its audit key shredded. A permission of its own, since erasure cannot be undone.
INSERT INTO permissions (id, resource, action, condition, description) VALUES
    ('users:erase', 'users', 'erase', NULL, 'Erase accounts ranked below one''s own (cannot be undone)');
INSERT INTO role_permissions (role_name, permission_id) VALUES
    ('admin', 'users:erase');
