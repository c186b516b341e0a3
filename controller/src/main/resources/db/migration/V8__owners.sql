-- Each repository's owning team and where that answer came from: the Backstage catalog, the
-- repository's catalog-info.yaml, its CODEOWNERS, or 'owner:' in .flotilla.yaml. The forge's
-- organisation stays in repository.owner; the team is a separate fact with its own source.
ALTER TABLE repository
    ADD COLUMN team             TEXT,
    -- BACKSTAGE, CATALOG_INFO, CODEOWNERS, OPT_IN
    ADD COLUMN team_source      TEXT,
    -- When the source last gave this answer. A Backstage answer kept through a catalog outage keeps
    -- its old time, and team_stale says the catalog could not be asked this time.
    ADD COLUMN team_as_of       TIMESTAMPTZ,
    ADD COLUMN team_stale       BOOLEAN     NOT NULL DEFAULT FALSE;

CREATE INDEX repository_team ON repository (team) WHERE present;
