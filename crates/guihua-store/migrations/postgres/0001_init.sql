-- PostgreSQL dialect of ../0001_init.sql (same schema version; generated from it, then read).
-- guihua store, schema version 1.
-- Plans are immutable once added: a revision is a new row linked by previous_id.
-- Everything a person enters (observations, assignments, project status, links) is
-- soft-deleted and every change is mirrored in the append-only history table.

-- Refusals (append-only history, releases kept as run) and the content version are
-- trigger functions in PL/pgSQL, which every PostgreSQL-compatible server ships.
CREATE FUNCTION guihua_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END
$$;

CREATE TABLE plans (
    id            BIGSERIAL PRIMARY KEY,
    region        TEXT,
    title         TEXT,
    period_start  BIGINT,
    period_end    BIGINT,
    sha256        TEXT NOT NULL UNIQUE,
    file          TEXT NOT NULL,
    format        TEXT NOT NULL,
    version       BIGINT NOT NULL DEFAULT 1,
    previous_id   BIGINT REFERENCES plans(id),
    json          TEXT NOT NULL,
    added_at      TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX plans_region ON plans(region);

CREATE TABLE outline (
    plan_id   BIGINT NOT NULL REFERENCES plans(id),
    local_id  TEXT NOT NULL,
    ord       BIGINT NOT NULL,
    level     TEXT NOT NULL,
    number    BIGINT,
    title     TEXT NOT NULL,
    depth     BIGINT NOT NULL,
    PRIMARY KEY (plan_id, local_id)
);

CREATE TABLE indicators (
    plan_id       BIGINT NOT NULL REFERENCES plans(id),
    local_id      TEXT NOT NULL,
    ord           BIGINT NOT NULL,
    seq           TEXT,
    category      TEXT,
    name          TEXT NOT NULL,
    unit          TEXT,
    attribute     TEXT,
    base_text     TEXT NOT NULL,
    base_value    DOUBLE PRECISION,
    target_text   TEXT NOT NULL,
    target_value  DOUBLE PRECISION,
    pace_text     TEXT NOT NULL,
    parent        TEXT,
    PRIMARY KEY (plan_id, local_id)
);

CREATE TABLE targets (
    plan_id   BIGINT NOT NULL REFERENCES plans(id),
    local_id  TEXT NOT NULL,
    ord       BIGINT NOT NULL,
    subject   TEXT NOT NULL,
    text      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    value     DOUBLE PRECISION,
    unit      TEXT,
    year      BIGINT,
    section   TEXT,
    PRIMARY KEY (plan_id, local_id)
);

CREATE TABLE projects (
    plan_id          BIGINT NOT NULL REFERENCES plans(id),
    local_id         TEXT NOT NULL,
    ord              BIGINT NOT NULL,
    name             TEXT NOT NULL,
    grp              TEXT,
    box_id           TEXT,
    section          TEXT,
    investment       DOUBLE PRECISION,
    investment_unit  TEXT,
    text             TEXT NOT NULL,
    PRIMARY KEY (plan_id, local_id)
);

-- catalog_id NULL with manual = 1 means "a person said: not in the catalogue".
CREATE TABLE indicator_links (
    plan_id       BIGINT NOT NULL,
    indicator_id  TEXT NOT NULL,
    catalog_id    TEXT,
    confidence    DOUBLE PRECISION NOT NULL,
    reason        TEXT NOT NULL,
    manual        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (plan_id, indicator_id),
    FOREIGN KEY (plan_id, indicator_id) REFERENCES indicators(plan_id, local_id)
);

CREATE TABLE observations (
    id            BIGSERIAL PRIMARY KEY,
    plan_id       BIGINT NOT NULL REFERENCES plans(id),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('indicator', 'target')),
    subject_id    TEXT NOT NULL,
    year          BIGINT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    source        TEXT,
    note          TEXT,
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX observations_live
    ON observations(plan_id, subject_kind, subject_id, year) WHERE deleted_at IS NULL;

CREATE TABLE departments (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    deleted_at  TEXT
);

CREATE TABLE assignments (
    id            BIGSERIAL PRIMARY KEY,
    plan_id       BIGINT NOT NULL REFERENCES plans(id),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('indicator', 'target', 'project', 'chapter')),
    subject_id    TEXT NOT NULL,
    department_id BIGINT NOT NULL REFERENCES departments(id),
    role          TEXT NOT NULL CHECK (role IN ('lead', 'co')),
    assigned_by   TEXT NOT NULL,
    assigned_at   TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE UNIQUE INDEX assignments_live
    ON assignments(plan_id, subject_kind, subject_id, department_id) WHERE deleted_at IS NULL;

CREATE TABLE project_status (
    id                    BIGSERIAL PRIMARY KEY,
    plan_id               BIGINT NOT NULL REFERENCES plans(id),
    project_id            TEXT NOT NULL,
    year                  BIGINT NOT NULL,
    status                TEXT NOT NULL CHECK (status IN ('谋划', '前期', '在建', '建成', '暂缓')),
    planned_investment    DOUBLE PRECISION,
    completed_investment  DOUBLE PRECISION,
    milestone             TEXT,
    entered_by            TEXT NOT NULL,
    entered_at            TEXT NOT NULL,
    deleted_at            TEXT
);
CREATE UNIQUE INDEX project_status_live
    ON project_status(plan_id, project_id, year) WHERE deleted_at IS NULL;

-- Append-only: never updated, never deleted (triggers below refuse it).
CREATE TABLE history (
    id       BIGSERIAL PRIMARY KEY,
    at       TEXT NOT NULL,
    who      TEXT NOT NULL,
    plan_id  BIGINT,
    tbl      TEXT NOT NULL,
    subject  TEXT,
    key      TEXT NOT NULL,
    field    TEXT NOT NULL,
    old      TEXT,
    new      TEXT,
    why      TEXT
);
CREATE INDEX history_plan ON history(plan_id, subject);

CREATE TRIGGER history_no_update BEFORE UPDATE ON history
    FOR EACH ROW EXECUTE PROCEDURE guihua_refuse('history is append-only');
CREATE TRIGGER history_no_delete BEFORE DELETE ON history
    FOR EACH ROW EXECUTE PROCEDURE guihua_refuse('history is append-only');
CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_refuse('history is append-only');
