-- A plan: a campaign file's dry run over the fleet, one per campaign and file content (its SHA-256).
CREATE TABLE plan (
    id              BIGSERIAL PRIMARY KEY,
    campaign        TEXT        NOT NULL,
    source_hash     TEXT        NOT NULL,
    source          TEXT        NOT NULL,
    spec            JSONB       NOT NULL,
    status          TEXT        NOT NULL,
    requested_by    TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    UNIQUE (campaign, source_hash)
);
CREATE INDEX plan_status ON plan (status);

-- One repository's verdict in a plan; run_id keys the dry run that decides it.
CREATE TABLE plan_repository (
    plan_id         BIGINT      NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    repository_id   BIGINT      NOT NULL REFERENCES repository (id),
    repository      TEXT        NOT NULL,
    verdict         TEXT        NOT NULL,
    reason          TEXT,
    base_sha        TEXT,
    files_changed   INT,
    insertions      INT,
    deletions       INT,
    diff            TEXT,
    run_id          TEXT        NOT NULL UNIQUE,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plan_id, repository_id)
);
CREATE INDEX plan_repository_verdict ON plan_repository (plan_id, verdict);
