-- PostgreSQL dialect of ../0003_one_revision.sql (same schema version; generated from it, then read).
-- guihua store, schema version 3: a plan has at most one current revision. Two writers
-- revising the same plan at once cannot both make a version 2; the schema says so, not
-- only the code.
CREATE UNIQUE INDEX IF NOT EXISTS plans_one_current_revision
    ON plans(previous_id) WHERE previous_id IS NOT NULL AND deleted_at IS NULL;
