-- guihua store, schema version 9: one number that changes whenever anything a public page
-- shows changes (plans and their parts, links, observations, assignments, project status,
-- publication, releases, comments, ratings), by any process. The web application keeps
-- rendered public pages in memory while this number stays the same (guihua-web's page
-- cache); a write by the CLI or another server is seen at the next request.
-- Staff-only tables (users, sessions, rounds, submissions) and the history do not count.
CREATE TABLE library_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO library_version (id, n) VALUES (1, 0);
CREATE TRIGGER version_plans_i AFTER INSERT ON plans
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_plans_u AFTER UPDATE ON plans
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_plans_d AFTER DELETE ON plans
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_outline_i AFTER INSERT ON outline
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_outline_u AFTER UPDATE ON outline
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_outline_d AFTER DELETE ON outline
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicators_i AFTER INSERT ON indicators
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicators_u AFTER UPDATE ON indicators
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicators_d AFTER DELETE ON indicators
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_targets_i AFTER INSERT ON targets
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_targets_u AFTER UPDATE ON targets
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_targets_d AFTER DELETE ON targets
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_projects_i AFTER INSERT ON projects
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_projects_u AFTER UPDATE ON projects
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_projects_d AFTER DELETE ON projects
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicator_links_i AFTER INSERT ON indicator_links
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicator_links_u AFTER UPDATE ON indicator_links
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_indicator_links_d AFTER DELETE ON indicator_links
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_observations_i AFTER INSERT ON observations
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_observations_u AFTER UPDATE ON observations
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_observations_d AFTER DELETE ON observations
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_assignments_i AFTER INSERT ON assignments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_assignments_u AFTER UPDATE ON assignments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_assignments_d AFTER DELETE ON assignments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_project_status_i AFTER INSERT ON project_status
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_project_status_u AFTER UPDATE ON project_status
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_project_status_d AFTER DELETE ON project_status
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_publications_i AFTER INSERT ON publications
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_publications_u AFTER UPDATE ON publications
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_publications_d AFTER DELETE ON publications
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_releases_i AFTER INSERT ON releases
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_releases_u AFTER UPDATE ON releases
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_releases_d AFTER DELETE ON releases
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_comments_i AFTER INSERT ON comments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_comments_u AFTER UPDATE ON comments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_comments_d AFTER DELETE ON comments
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_ratings_i AFTER INSERT ON ratings
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_ratings_u AFTER UPDATE ON ratings
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER version_ratings_d AFTER DELETE ON ratings
BEGIN UPDATE library_version SET n = n + 1 WHERE id = 1; END;
