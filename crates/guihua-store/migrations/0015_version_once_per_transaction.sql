-- guihua store, schema version 15: the content version (schema version 9) moves once per
-- write transaction rather than once per statement. Nothing changes in SQLite, where the
-- statement-level update of the one row is cheap and in place; the PostgreSQL dialect
-- (postgres/0015_version_once_per_transaction.sql) needs it: there every update of the one
-- row leaves a dead version of it behind, and a transaction of 100,000 statements walked an
-- ever longer chain of them. The version numbers of both dialects stay the same.
SELECT 1;
