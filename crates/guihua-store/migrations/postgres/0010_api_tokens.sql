-- PostgreSQL dialect of ../0010_api_tokens.sql (same schema version; generated from it, then read).
-- guihua store, schema version 10: API tokens for scripts (`guihua token add`). A token
-- acts as its user, with the user's roles; only its SHA-256 is kept (the token is shown
-- once, when made). Revoked tokens stay, with who revoked them and when.
CREATE TABLE api_tokens (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_used  TEXT,
    revoked_at TEXT,
    revoked_by TEXT
);
