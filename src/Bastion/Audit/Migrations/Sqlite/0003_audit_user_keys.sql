-- One data key per user for the personal fields of audit entries (addresses, user agents, e-mail addresses and names
-- in changes and details; see Audit/AuditFieldCipher.cs). The key is stored wrapped by the master key's audit subkey.
-- Erasing the user sets wrapped_key to NULL (crypto-shredding): the entries stay, hash chain intact, but their
-- personal fields can no longer be read. A row with a NULL key is a tombstone: later entries about that user store
-- the field as "erased" instead of creating a fresh key. user_id is upper-case text (EF Core's GUID format);
-- times are Unix milliseconds.
CREATE TABLE audit_user_keys (
    user_id      TEXT    NOT NULL PRIMARY KEY,
    wrapped_key  BLOB    NULL,
    created_at   INTEGER NOT NULL,
    shredded_at  INTEGER NULL
);
