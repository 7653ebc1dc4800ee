-- PostgreSQL dialect of ../0012_revision_lookups.sql (same schema version; generated from it, then read).
-- guihua store, schema version 12: a new value continues the revisions of the removed ones
-- (`1 + MAX(revision)` over live *and* removed rows of its key). The live-row indexes are
-- partial (`WHERE deleted_at IS NULL`) and cannot serve that lookup, so each insert scanned
-- the whole table: an import of 100,000 values took minutes instead of about a second.
-- These indexes cover every row of a key.
CREATE INDEX observations_key ON observations(plan_id, subject_kind, subject_id, year);
CREATE INDEX assignments_key ON assignments(plan_id, subject_kind, subject_id, department_id);
CREATE INDEX project_status_key ON project_status(plan_id, project_id, year);
