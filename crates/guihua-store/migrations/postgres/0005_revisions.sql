-- PostgreSQL dialect of ../0005_revisions.sql (same schema version; generated from it, then read).
-- guihua store, schema version 5: a revision number on each observation, so a writer that
-- read revision n can say so and be refused (a conflict) when someone else wrote since —
-- never a silent last-writer-wins.
ALTER TABLE observations ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
