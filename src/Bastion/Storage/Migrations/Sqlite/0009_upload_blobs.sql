-- Validated uploads kept in the database (Bastion:Uploads:Store=Database), so that every node serves every file.
-- The key is random ({yyyy}/{mm}/{32 hex digits}); the row that points to a blob is written in the same transaction.
-- A rowid table (not WITHOUT ROWID): incremental blob I/O, which streams the content in and out, needs the rowid.
CREATE TABLE upload_blobs (
    key         TEXT    NOT NULL PRIMARY KEY,
    content     BLOB    NOT NULL,
    length      INTEGER NOT NULL,
    sha256      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
