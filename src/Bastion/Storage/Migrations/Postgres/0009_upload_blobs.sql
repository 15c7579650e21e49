-- Validated uploads kept in the database (Bastion:Uploads:Store=Database), so that every node serves every file.
-- The key is random ({yyyy}/{mm}/{32 hex digits}); the row that points to a blob is written in the same transaction.
CREATE TABLE upload_blobs (
    key         text        NOT NULL PRIMARY KEY,
    content     bytea       NOT NULL,
    length      bigint      NOT NULL,
    sha256      text        NOT NULL,
    created_at  timestamptz NOT NULL
);
-- Uploads are mostly compressed formats (PNG, JPEG, PDF, XLSX): store them out of line without trying to compress them.
ALTER TABLE upload_blobs ALTER COLUMN content SET STORAGE EXTERNAL;
