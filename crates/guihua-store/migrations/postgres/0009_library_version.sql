-- PostgreSQL dialect of ../0009_library_version.sql (same schema version; generated from it, then read).
-- guihua store, schema version 9: one number that changes whenever anything a public page
-- shows changes (plans and their parts, links, observations, assignments, project status,
-- publication, releases, comments, ratings), by any process. The web application keeps
-- rendered public pages in memory while this number stays the same (guihua-web's page
-- cache); a write by the CLI or another server is seen at the next request.
-- Staff-only tables (users, sessions, rounds, submissions) and the history do not count.
CREATE TABLE library_version (
    id BIGSERIAL PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO library_version (id, n) VALUES (1, 0);
CREATE FUNCTION guihua_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE library_version SET n = n + 1 WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER version_plans_i AFTER INSERT ON plans
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_plans_u AFTER UPDATE ON plans
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_plans_d AFTER DELETE ON plans
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_outline_i AFTER INSERT ON outline
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_outline_u AFTER UPDATE ON outline
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_outline_d AFTER DELETE ON outline
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicators_i AFTER INSERT ON indicators
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicators_u AFTER UPDATE ON indicators
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicators_d AFTER DELETE ON indicators
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_targets_i AFTER INSERT ON targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_targets_u AFTER UPDATE ON targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_targets_d AFTER DELETE ON targets
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_projects_i AFTER INSERT ON projects
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_projects_u AFTER UPDATE ON projects
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_projects_d AFTER DELETE ON projects
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicator_links_i AFTER INSERT ON indicator_links
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicator_links_u AFTER UPDATE ON indicator_links
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_indicator_links_d AFTER DELETE ON indicator_links
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_observations_i AFTER INSERT ON observations
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_observations_u AFTER UPDATE ON observations
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_observations_d AFTER DELETE ON observations
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_assignments_i AFTER INSERT ON assignments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_assignments_u AFTER UPDATE ON assignments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_assignments_d AFTER DELETE ON assignments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_project_status_i AFTER INSERT ON project_status
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_project_status_u AFTER UPDATE ON project_status
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_project_status_d AFTER DELETE ON project_status
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_publications_i AFTER INSERT ON publications
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_publications_u AFTER UPDATE ON publications
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_publications_d AFTER DELETE ON publications
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_releases_i AFTER INSERT ON releases
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_releases_u AFTER UPDATE ON releases
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_releases_d AFTER DELETE ON releases
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_comments_i AFTER INSERT ON comments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_comments_u AFTER UPDATE ON comments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_comments_d AFTER DELETE ON comments
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_ratings_i AFTER INSERT ON ratings
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_ratings_u AFTER UPDATE ON ratings
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
CREATE TRIGGER version_ratings_d AFTER DELETE ON ratings
    FOR EACH STATEMENT EXECUTE PROCEDURE guihua_bump_version();
