-- PostgreSQL dialect of ../0004_users.sql (same schema version; generated from it, then read).
-- guihua store, schema version 4: users and their roles, for the web application and for
-- `--user` on the command line. A membership gives a user a role, and a department editor
-- its department; revoking keeps the row (who had which right when stays answerable).
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display       TEXT,
    password_hash TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    disabled_at   TEXT
);
CREATE TABLE memberships (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'planner', 'editor', 'reviewer')),
    department_id BIGINT REFERENCES departments(id),
    granted_at    TEXT NOT NULL,
    granted_by    TEXT NOT NULL,
    revoked_at    TEXT,
    CHECK (role <> 'editor' OR department_id IS NOT NULL)
);
CREATE UNIQUE INDEX memberships_current
    ON memberships(user_id, role, COALESCE(department_id, 0)) WHERE revoked_at IS NULL;
