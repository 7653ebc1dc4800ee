-- PostgreSQL dialect of ../0014_annual_targets.sql (same schema version; generated from it, then read).
-- guihua store, schema version 14: annual targets (年度目标) — what the annual plan or the
-- government work report sets for one indicator and year ("地区生产总值增长6%左右"), kept
-- with where it was read (document and line) and replaced only with history. The
-- evaluation of that year measures against it (a --target given on the command line
-- still wins).
CREATE TABLE annual_targets (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    indicator_id TEXT NOT NULL,
    year         BIGINT NOT NULL,
    cell         TEXT NOT NULL,
    source       TEXT,
    line         BIGINT,
    entered_by   TEXT NOT NULL,
    entered_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE UNIQUE INDEX annual_targets_live
    ON annual_targets(plan_id, indicator_id, year) WHERE deleted_at IS NULL;
CREATE TRIGGER version_annual_targets_i AFTER INSERT ON annual_targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_annual_targets_u AFTER UPDATE ON annual_targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_annual_targets_d AFTER DELETE ON annual_targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
