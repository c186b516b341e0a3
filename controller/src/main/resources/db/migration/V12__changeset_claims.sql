-- A changeset being reconciled is claimed with a lease: one controller (of any number sharing the
-- store) reconciles it at a time, and a controller that dies holding a claim loses it when the lease
-- ends. A reconcile asked for while another holds the claim sets recheck, so the holder's release
-- makes the changeset due at once and what the request saw is not lost.
ALTER TABLE changeset
    ADD COLUMN claimed_by    TEXT,
    ADD COLUMN claimed_until TIMESTAMPTZ,
    ADD COLUMN recheck       BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX changeset_due ON changeset (next_check_at NULLS FIRST, id);
