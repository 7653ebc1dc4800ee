-- PostgreSQL dialect of ../0008_web.sql (same schema version; generated from it, then read).
-- guihua store, schema version 8: what the web application keeps — which plans are
-- published, evaluation releases (评估报告, kept as run and published on purpose), staff
-- sessions, public comments (公众评价, moderated before publication) and ratings, and data
-- collection rounds (年度填报) with each department's submission. Every staff write here
-- also appends to the history; nothing is deleted.
CREATE TABLE publications (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by TEXT
);
CREATE UNIQUE INDEX publications_current ON publications(plan_id) WHERE withdrawn_at IS NULL;

CREATE TABLE releases (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    year         BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('annual', 'midterm', 'final')),
    document     BYTEA NOT NULL,
    narrative    TEXT,
    report_html  BYTEA NOT NULL,
    report_docx  BYTEA NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    published_at TEXT,
    published_by TEXT,
    withdrawn_at TEXT,
    withdrawn_by TEXT
);
CREATE INDEX releases_plan ON releases(plan_id, year);
-- A release's content is what was reviewed: it cannot change, only be published or withdrawn.
CREATE TRIGGER releases_fixed BEFORE UPDATE OF plan_id, year, kind, document, narrative,
    report_html, report_docx, created_at, created_by ON releases
    FOR EACH ROW EXECUTE PROCEDURE guihua_refuse('a release is kept as it was run');

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at   TEXT
);

CREATE TABLE comments (
    id           BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES plans(id),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('plan', 'indicator', 'target', 'project')),
    subject_id   TEXT,
    body         TEXT NOT NULL,
    author       TEXT,
    contact      TEXT,
    address      TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published', 'rejected')),
    moderated_at TEXT,
    moderated_by TEXT,
    reason       TEXT
);
CREATE INDEX comments_subject ON comments(plan_id, state, subject_kind, subject_id);
CREATE INDEX comments_address ON comments(address, submitted_at);

CREATE TABLE ratings (
    id      BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans(id),
    rating  TEXT NOT NULL CHECK (rating IN ('satisfied', 'fair', 'dissatisfied')),
    address TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ratings_once ON ratings(plan_id, address);

CREATE TABLE rounds (
    id        BIGSERIAL PRIMARY KEY,
    plan_id   BIGINT NOT NULL REFERENCES plans(id),
    year      BIGINT NOT NULL,
    deadline  TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT,
    closed_by TEXT
);
CREATE UNIQUE INDEX rounds_open ON rounds(plan_id, year) WHERE closed_at IS NULL;

CREATE TABLE submissions (
    id            BIGSERIAL PRIMARY KEY,
    round_id      BIGINT NOT NULL REFERENCES rounds(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    state         TEXT NOT NULL DEFAULT 'open'
                  CHECK (state IN ('open', 'submitted', 'approved', 'returned')),
    submitted_at  TEXT,
    submitted_by  TEXT,
    decided_at    TEXT,
    decided_by    TEXT,
    decision_note TEXT,
    revision      BIGINT NOT NULL DEFAULT 1,
    UNIQUE (round_id, department_id)
);

CREATE TABLE submission_items (
    id            BIGSERIAL PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions(id),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('indicator', 'target')),
    subject_id    TEXT NOT NULL,
    value         DOUBLE PRECISION,
    source        TEXT,
    progress      TEXT,
    confirmed     BIGINT NOT NULL DEFAULT 0,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    UNIQUE (submission_id, subject_kind, subject_id)
);
