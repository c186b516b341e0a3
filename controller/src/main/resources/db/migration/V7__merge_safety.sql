-- What happens after Flotilla merges: the commit its merge made, how long the default branch's checks
-- on that commit are watched, and, while a revert is under way, the merge commit its branch reverts.
ALTER TABLE changeset ADD COLUMN merge_sha TEXT;
ALTER TABLE changeset ADD COLUMN health_until TIMESTAMPTZ;
ALTER TABLE changeset ADD COLUMN revert_of TEXT;

-- The reconciler asks for merged changesets still watched whose next look is due.
CREATE INDEX changeset_health_watched ON changeset (next_check_at) WHERE health_until IS NOT NULL;
