-- Rollout control kept in the store, so a controller restart neither forgets a verdict nor refills
-- a budget.

-- One row per campaign: the token bucket behind limits.pullRequestsPerHour. Tokens refill
-- continuously at pullRequestsPerHour per hour up to pullRequestsPerHour; opening a pull request
-- takes one.
CREATE TABLE pull_request_bucket (
    campaign        TEXT PRIMARY KEY REFERENCES campaign (name) ON DELETE CASCADE,
    tokens          DOUBLE PRECISION NOT NULL,
    refilled_at     TIMESTAMPTZ      NOT NULL
);

-- Verdicts on finished waves: when a wave halted the campaign, and when a resume accepted it.
CREATE TABLE rollout_wave (
    campaign        TEXT        NOT NULL REFERENCES campaign (name) ON DELETE CASCADE,
    wave            INT         NOT NULL,
    failed          BIGINT      NOT NULL,
    counted         BIGINT      NOT NULL,
    halted_at       TIMESTAMPTZ,
    accepted_at     TIMESTAMPTZ,
    PRIMARY KEY (campaign, wave)
);

-- The default branch's head when Flotilla last pushed a changeset's branch, for limits.rebaseAfter.
CREATE TABLE changeset_base (
    changeset_id    BIGINT PRIMARY KEY REFERENCES changeset (id) ON DELETE CASCADE,
    base_sha        TEXT,
    pushed_at       TIMESTAMPTZ NOT NULL
);
