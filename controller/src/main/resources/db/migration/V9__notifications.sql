-- Notifications to owning teams go through an outbox: a row is written in the same transaction as
-- the change that causes it (triggers below, or the digest's insert), and a sender delivers it
-- afterwards. The key is the message's idempotency key: UNIQUE, so a digest is created at most once
-- per team and day, and sent with every attempt so a receiver can drop a repeat.
CREATE TABLE notification_outbox (
    id              BIGSERIAL PRIMARY KEY,
    key             TEXT        NOT NULL UNIQUE,
    team            TEXT        NOT NULL,
    -- DIGEST, CAMPAIGN_HALTED, PULL_REQUEST_CLOSED
    kind            TEXT        NOT NULL,
    payload         JSONB       NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    attempts        INT         NOT NULL DEFAULT 0,
    last_error      TEXT,
    -- SENT, DRY_RUN, NO_WEBHOOK; null until delivered
    outcome         TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE sent_at IS NULL;

-- A campaign halted: one message for every team with a changeset in it.
CREATE FUNCTION notify_campaign_halted() RETURNS trigger AS $$
BEGIN
    INSERT INTO notification_outbox (key, team, kind, payload, created_at, next_attempt_at)
    SELECT 'halted:' || NEW.name || ':' || extract(epoch FROM NEW.updated_at)::text || ':' || t.team, t.team,
           'CAMPAIGN_HALTED', jsonb_build_object('campaign', NEW.name, 'reason', NEW.status_reason),
           NEW.updated_at, NEW.updated_at
    FROM (SELECT DISTINCT r.team FROM changeset c JOIN repository r ON r.id = c.repository_id
          WHERE c.campaign = NEW.name AND r.team IS NOT NULL) t
    ON CONFLICT (key) DO NOTHING;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER campaign_halted_notifies AFTER UPDATE OF status ON campaign
    FOR EACH ROW WHEN (NEW.status = 'HALTED' AND OLD.status IS DISTINCT FROM 'HALTED')
    EXECUTE FUNCTION notify_campaign_halted();

-- A pull request closed without merging by someone on the forge (not by Flotilla cancelling a
-- campaign, which a person does through Flotilla and is recorded with that person as the actor).
CREATE FUNCTION notify_pull_request_closed() RETURNS trigger AS $$
BEGIN
    INSERT INTO notification_outbox (key, team, kind, payload, created_at, next_attempt_at)
    SELECT 'closed:' || NEW.id, r.team, 'PULL_REQUEST_CLOSED',
           jsonb_build_object('campaign', NEW.campaign, 'repository', r.owner || '/' || r.name,
                              'pullRequestUrl', c.pr_url, 'detail', NEW.detail),
           NEW.at, NEW.at
    FROM changeset c JOIN repository r ON r.id = c.repository_id
    WHERE c.id = NEW.changeset_id AND r.team IS NOT NULL
    ON CONFLICT (key) DO NOTHING;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pull_request_closed_notifies AFTER INSERT ON changeset_event
    FOR EACH ROW WHEN (NEW.to_state = 'CLOSED' AND NEW.from_state IS DISTINCT FROM 'CLOSED'
                       AND NEW.actor IN ('forge', 'reconciler'))
    EXECUTE FUNCTION notify_pull_request_closed();
