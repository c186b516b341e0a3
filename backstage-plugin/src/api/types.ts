/*
 * The shapes of Flotilla's dashboard JSON API, as recorded in src/__fixtures__ from the real server
 * (controller's BackstagePluginFixturesIT keeps them in step).
 */

/** A changeset's state, named as in Flotilla's lifecycle; INVALID_CONFIG is a refused .flotilla.yaml. */
export type ChangesetState =
  | 'PENDING'
  | 'RUNNING'
  | 'NO_CHANGE'
  | 'FAILED'
  | 'PUSHED'
  | 'PR_OPEN'
  | 'CI_PENDING'
  | 'CI_FAILED'
  | 'MERGEABLE'
  | 'MERGED'
  | 'CONFLICT'
  | 'CLOSED'
  | 'MODIFIED'
  | 'SKIPPED'
  | 'HALTED'
  | 'NOT_APPLICABLE'
  | 'INVALID_CONFIG'
  | 'NEEDS_HUMAN';

export type CampaignStatus =
  | 'ACTIVE'
  | 'PAUSED'
  | 'HALTED'
  | 'CANCELLED'
  | 'COMPLETED';

/** GET /api/campaigns: one campaign with its progress. */
export interface Campaign {
  name: string;
  migration: string;
  status: CampaignStatus;
  statusReason: string | null;
  startedAt: string | null;
  counts: Partial<Record<ChangesetState, number>>;
  total: number;
  merged: number;
  open: number;
  mergeRate: number;
  mergesPerDay: number;
  estimatedCompletion: string | null;
}

export interface CampaignList {
  campaigns: Campaign[];
}

/** One changeset as GET /api/repos/{owner}/{name} lists it. */
export interface RepositoryChangeset {
  id: number;
  campaign: string;
  repository: string;
  owner: string | null;
  state: ChangesetState;
  pullRequestUrl: string | null;
  ciResult: string | null;
  lastError: string | null;
  stateSince: string;
}

/** GET /api/repos/{owner}/{name}. */
export interface Repository {
  repository: string;
  owner: string | null;
  /** Which source named the owner: `backstage`, `catalog-info`, `codeowners` or `opt-in`. */
  ownerSource: string | null;
  ownerAsOf: string | null;
  /** The Backstage catalog could not be asked at the last scan: this is its last answer. */
  ownerStale: boolean;
  url: string | null;
  optInFile: string | null;
  optInError: string | null;
  scannedAt: string | null;
  changesets: RepositoryChangeset[];
}

/** Who has to act next on a changeset. */
export type WaitingOn = 'team' | 'flotilla' | 'nobody';

/** One changeset as GET /api/teams/{team} lists it: with who it waits on and what the team should do. */
export interface TeamChangeset {
  id: number;
  campaign: string;
  repository: string;
  state: ChangesetState;
  pullRequestUrl: string | null;
  pullRequestNumber: number | null;
  waitingOn: WaitingOn;
  /** What the team should do, in one sentence; for what does not wait on the team, what happens next. */
  action: string;
  /** Why it is stuck (a failure, the migration's reason), or null. */
  reason: string | null;
  stateSince: string;
}

/** GET /api/teams/{team}. */
export interface Team {
  team: string;
  summary: TeamSummary;
  repositories: {
    repository: string;
    ownerSource: string;
    ownerAsOf: string | null;
    ownerStale: boolean;
  }[];
  /** Those waiting on the team first. */
  changesets: TeamChangeset[];
  /** Open and merged at the end of each day (UTC), oldest first. */
  burndown: { day: string; open: number; merged: number }[];
}

/** GET /api/teams: one row of the fleet's team ranking. */
export interface TeamSummary {
  team: string;
  repositories: number;
  open: number;
  waitingOnTeam: number;
  merged: number;
  failed: number;
  medianHoursToMerge: number | null;
}

export interface TeamList {
  teams: TeamSummary[];
}
