-- PostgreSQL dialect of ../0015_version_once_per_transaction.sql (same schema version).
-- guihua store, schema version 15: the content version moves once per write transaction.
-- Every update of library_version's one row leaves a dead row version behind until the
-- transaction ends, and each later update in the same transaction walks them: an import of
-- 100,000 observations (several statements each) spent most of its time there. Readers only
-- see committed transactions, so one move per transaction says everything a move per
-- statement said. The transaction-local setting guihua.version_moved_in remembers the
-- transaction that moved it (reset when the transaction ends).
CREATE OR REPLACE FUNCTION guihua_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('guihua.version_moved_in', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE library_version SET n = n + 1 WHERE id = 1;
        PERFORM set_config('guihua.version_moved_in', txid_current()::text, true);
    END IF;
    RETURN NULL;
END
$$;
