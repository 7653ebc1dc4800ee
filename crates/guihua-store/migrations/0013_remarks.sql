-- guihua store, schema version 13: internal remarks (内部意见) of reviewers (人大) and
-- planners on a plan or one of its evaluation releases. Staff only: never published,
-- never exported to the public. Append-only, like the history: a remark is what was said.
CREATE TABLE remarks (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    release_id INTEGER REFERENCES releases(id),
    body       TEXT NOT NULL,
    author     TEXT NOT NULL,
    user_id    INTEGER,
    at         TEXT NOT NULL
);
CREATE INDEX remarks_plan ON remarks(plan_id, id);
CREATE TRIGGER remarks_no_update BEFORE UPDATE ON remarks
BEGIN SELECT RAISE(ABORT, 'a remark is kept as it was made'); END;
CREATE TRIGGER remarks_no_delete BEFORE DELETE ON remarks
BEGIN SELECT RAISE(ABORT, 'a remark is kept as it was made'); END;
