-- PostgreSQL dialect of ../0011_plan_texts.sql (same schema version; generated from it, then read).
-- guihua store, schema version 11: the text of each plan as guihua read it (the lines that
-- every extracted heading, indicator, target and project points to), so a reader can check
-- an extraction against its source (the portal's 原文 page). Derived from the source file:
-- a library without it (older plans) simply has no text to show.
CREATE TABLE plan_texts (
    plan_id BIGINT PRIMARY KEY REFERENCES plans(id),
    lines   TEXT NOT NULL
);
CREATE TRIGGER version_plan_texts_i AFTER INSERT ON plan_texts
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_plan_texts_u AFTER UPDATE ON plan_texts
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_plan_texts_d AFTER DELETE ON plan_texts
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
