-- The fleet: repositories as discovery last saw them, campaigns, one changeset per
-- (campaign, repository), and the append-only history every view and chart is drawn from.

CREATE TABLE repository (
    id              BIGSERIAL PRIMARY KEY,
    forge           TEXT        NOT NULL,
    owner           TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    default_branch  TEXT        NOT NULL,
    clone_url       TEXT        NOT NULL,
    web_url         TEXT,
    -- OPTED_IN, NOT_OPTED_IN (no file, or enabled: false), INVALID_CONFIG
    opt_in_status   TEXT        NOT NULL,
    opt_in_text     TEXT,
    opt_in_error    TEXT,
    opt_in          JSONB,
    present         BOOLEAN     NOT NULL DEFAULT TRUE,
    discovered_at   TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (forge, owner, name)
);

CREATE TABLE campaign (
    name            TEXT PRIMARY KEY,
    migration       TEXT        NOT NULL,
    spec            JSONB       NOT NULL,
    source          TEXT        NOT NULL,
    -- ACTIVE, PAUSED, HALTED, CANCELLED, COMPLETED
    status          TEXT        NOT NULL DEFAULT 'ACTIVE',
    status_reason   TEXT,
    current_wave    INT         NOT NULL DEFAULT 0,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE changeset (
    id              BIGSERIAL PRIMARY KEY,
    campaign        TEXT        NOT NULL REFERENCES campaign (name) ON DELETE CASCADE,
    repository_id   BIGINT      NOT NULL REFERENCES repository (id),
    state           TEXT        NOT NULL,
    state_reason    TEXT,
    state_since     TIMESTAMPTZ NOT NULL,
    wave            INT         NOT NULL DEFAULT 0,
    attempts        INT         NOT NULL DEFAULT 0,
    run_id          TEXT,
    run_started_at  TIMESTAMPTZ,
    last_pushed_sha TEXT,
    pr_number       INT,
    pr_url          TEXT,
    ci_state        TEXT,
    ci_summary      TEXT,
    last_result     JSONB,
    last_error      TEXT,
    files_changed   INT,
    insertions      INT,
    deletions       INT,
    next_check_at   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (campaign, repository_id)
);
CREATE INDEX changeset_campaign_state ON changeset (campaign, state);
CREATE INDEX changeset_repository ON changeset (repository_id);

CREATE TABLE changeset_event (
    id              BIGSERIAL PRIMARY KEY,
    changeset_id    BIGINT      NOT NULL REFERENCES changeset (id) ON DELETE CASCADE,
    campaign        TEXT        NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    from_state      TEXT,
    to_state        TEXT        NOT NULL,
    actor           TEXT        NOT NULL,
    detail          TEXT
);
CREATE INDEX changeset_event_campaign_at ON changeset_event (campaign, at);
CREATE INDEX changeset_event_changeset ON changeset_event (changeset_id);

-- Actions people take that are not about one changeset (pause, resume, rescan), with who and when.
CREATE TABLE audit_event (
    id              BIGSERIAL PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    actor           TEXT        NOT NULL,
    action          TEXT        NOT NULL,
    target          TEXT,
    detail          TEXT
);

-- The local forge's pull requests and checks. At most one open pull request per branch is the
-- database's promise, so a crash between "create" and "record" can never make a second one.
CREATE TABLE local_pull_request (
    id              BIGSERIAL PRIMARY KEY,
    repository      TEXT        NOT NULL,
    number          INT         NOT NULL,
    branch          TEXT        NOT NULL,
    base            TEXT        NOT NULL,
    head_sha        TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    title           TEXT        NOT NULL,
    body            TEXT        NOT NULL,
    labels          TEXT        NOT NULL DEFAULT '',
    reviewers       TEXT        NOT NULL DEFAULT '',
    merge_sha       TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (repository, number)
);
CREATE UNIQUE INDEX local_pull_request_one_open_per_branch
    ON local_pull_request (repository, branch) WHERE state = 'OPEN';

CREATE TABLE local_pull_request_comment (
    id              BIGSERIAL PRIMARY KEY,
    repository      TEXT        NOT NULL,
    number          INT         NOT NULL,
    body            TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE local_check (
    repository      TEXT        NOT NULL,
    sha             TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    state           TEXT        NOT NULL,
    summary         TEXT,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository, sha, name)
);

-- A merge is recorded before the forge is asked, keyed by changeset, so a restart can tell an
-- attempted merge from a new one and never merge twice.
CREATE TABLE merge_attempt (
    changeset_id    BIGINT PRIMARY KEY REFERENCES changeset (id) ON DELETE CASCADE,
    head_sha        TEXT        NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    outcome         TEXT
);
