-- PostgreSQL dialect of ../0006_more_revisions.sql (same schema version; generated from it, then read).
-- guihua store, schema version 6: revision numbers on assignments, project status and
-- catalogue links too, so every value a person edits in a form can be written "as I read
-- it": a stale write is a conflict, never a silent last-writer-wins.
ALTER TABLE assignments ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE project_status ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE indicator_links ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
