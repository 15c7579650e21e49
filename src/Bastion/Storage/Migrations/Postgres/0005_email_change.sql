-- An address a signed-in user asked to move to, waiting for the link mailed there to be opened.
ALTER TABLE users ADD COLUMN pending_email text NULL;
