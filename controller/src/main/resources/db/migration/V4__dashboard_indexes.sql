-- What the dashboard's reads need at fleet scale (10,000 repositories x several campaigns).

-- "Needs attention" looks for a few states across every campaign, oldest first.
CREATE INDEX changeset_state_since ON changeset (state, state_since);

-- The campaign table sorted by time in state.
CREATE INDEX changeset_campaign_state_since ON changeset (campaign, state_since);

-- Merges in the last seven days, per campaign, for the overview's merge rate.
CREATE INDEX changeset_event_merged ON changeset_event (campaign, at) WHERE to_state = 'MERGED';

-- When each pull request was first opened, for stale pull requests.
CREATE INDEX changeset_event_pr_opened ON changeset_event (changeset_id, at) WHERE to_state = 'PR_OPEN';

-- Repositories with a broken opt-in file: few, looked up on every overview and attention read.
CREATE INDEX repository_invalid_config ON repository (id) WHERE opt_in_status = 'INVALID_CONFIG';

-- Repository pages by full name, whatever the forge.
CREATE INDEX repository_owner_name ON repository (owner, name);
