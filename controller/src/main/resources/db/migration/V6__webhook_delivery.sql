-- Every verified webhook delivery, by GitHub's X-GitHub-Delivery id: a redelivery of one already
-- received (GitHub's "Redeliver" button, or its retry after a timeout) is answered but not done twice,
-- also after a restart. The outcome says what became of it when it arrived (queued, merged into
-- queued work, left to polling, not used). Rows older than the retention are pruned.
CREATE TABLE webhook_delivery (
    delivery_id     TEXT PRIMARY KEY,
    event           TEXT        NOT NULL,
    action          TEXT,
    repository      TEXT,
    received_at     TIMESTAMPTZ NOT NULL,
    outcome         TEXT        NOT NULL
);

CREATE INDEX webhook_delivery_received_at ON webhook_delivery (received_at);
