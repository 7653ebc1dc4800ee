-- PostgreSQL dialect of ../0007_history_user.sql (same schema version; generated from it, then read).
-- guihua store, schema version 7: the history names the user account behind each change
-- (its id), not only the name typed; NULL for the local administrator of a library
-- without users. Older rows stay NULL: who they were is in `who`.
ALTER TABLE history ADD COLUMN user_id BIGINT;
-- No foreign key: the history is an append-only log that must outlive anything it names.
