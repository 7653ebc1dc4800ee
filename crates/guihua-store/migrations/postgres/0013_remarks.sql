-- PostgreSQL dialect of ../0013_remarks.sql (same schema version; generated from it, then read).
-- guihua store, schema version 13: internal remarks (内部意见) of reviewers (人大) and
-- planners on a plan or one of its evaluation releases. Staff only: never published,
-- never exported to the public. Append-only, like the history: a remark is what was said.
CREATE TABLE remarks (
    id         BIGSERIAL PRIMARY KEY,
    plan_id    BIGINT NOT NULL REFERENCES plans(id),
    release_id BIGINT REFERENCES releases(id),
    body       TEXT NOT NULL,
    author     TEXT NOT NULL,
    user_id    BIGINT,
    at         TEXT NOT NULL
);
CREATE INDEX remarks_plan ON remarks(plan_id, id);
CREATE TRIGGER remarks_no_update BEFORE UPDATE ON remarks
    FOR EACH ROW EXECUTE PROCEDURE guihua_refuse('a remark is kept as it was made');
CREATE TRIGGER remarks_no_delete BEFORE DELETE ON remarks
    FOR EACH ROW EXECUTE PROCEDURE guihua_refuse('a remark is kept as it was made');
