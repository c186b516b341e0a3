-- Tables of findings a run attached (OpenRewrite's data tables), as CSV, keyed by the run.
CREATE TABLE run_data_table (
    run_id          TEXT        NOT NULL,
    name            TEXT        NOT NULL,
    campaign        TEXT        NOT NULL,
    repository      TEXT        NOT NULL,
    csv             TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, name)
);
CREATE INDEX run_data_table_campaign ON run_data_table (campaign);
