-- PostgreSQL dialect of ../0002_indexes.sql (same schema version; generated from it, then read).
-- guihua store, schema version 2: lookups that a library of thousands of plans needs.
CREATE INDEX IF NOT EXISTS plans_previous ON plans(previous_id);
CREATE INDEX IF NOT EXISTS history_subject ON history(subject);
