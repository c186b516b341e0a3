import {
  ChangesetState,
  RepositoryChangeset,
  TeamChangeset,
  WaitingOn,
} from '../api/types';

/** One changeset as the Migrations tab shows it, whichever endpoint it came from. */
export interface MigrationRow {
  id: number;
  campaign: string;
  repository: string;
  state: ChangesetState;
  pullRequestUrl: string | null;
  waitingOn: WaitingOn;
  action: string;
}

/**
 * Who acts next on a changeset and what they should do, from its state: the repository endpoint gives the
 * state and the last error, and the team endpoint says it itself (see {@link fromTeam}). Pure.
 */
export function nextStep(
  state: ChangesetState,
  lastError: string | null,
): { waitingOn: WaitingOn; action: string } {
  const because = lastError ? `: ${lastError}` : '';
  switch (state) {
    case 'PR_OPEN':
      return { waitingOn: 'team', action: 'review and merge the pull request' };
    case 'MERGEABLE':
      return {
        waitingOn: 'team',
        action:
          'merge the pull request (Flotilla merges it itself where automerge is on)',
      };
    case 'CI_FAILED':
      return {
        waitingOn: 'team',
        action: `fix the failing CI on the pull request${because}`,
      };
    case 'CONFLICT':
      return {
        waitingOn: 'team',
        action:
          'resolve the conflict on the pull request branch, or ask the platform team to retry it on the new base',
      };
    case 'MODIFIED':
      return {
        waitingOn: 'team',
        action:
          'the branch was changed by a person, so Flotilla leaves it alone: review and merge it yourselves',
      };
    case 'INVALID_CONFIG':
      return {
        waitingOn: 'team',
        action: `fix .flotilla.yaml${because.replace(/^: invalid \.flotilla\.yaml/, '')}`,
      };
    case 'NEEDS_HUMAN':
      return {
        waitingOn: 'team',
        action: `make this change by hand${because}`,
      };
    case 'FAILED':
      return {
        waitingOn: 'flotilla',
        action: `nothing yet: the run failed${because}; the platform team retries it`,
      };
    case 'HALTED':
      return {
        waitingOn: 'flotilla',
        action:
          'nothing yet: the campaign is halted until the platform team resumes it',
      };
    case 'CI_PENDING':
      return {
        waitingOn: 'flotilla',
        action: 'nothing yet: CI is running on the pull request',
      };
    case 'PENDING':
    case 'RUNNING':
    case 'PUSHED':
      return {
        waitingOn: 'flotilla',
        action: 'nothing yet: Flotilla is preparing the pull request',
      };
    case 'MERGED':
      return { waitingOn: 'nobody', action: 'nothing: merged' };
    case 'CLOSED':
      return {
        waitingOn: 'nobody',
        action: 'nothing: the pull request was closed',
      };
    case 'NO_CHANGE':
    case 'NOT_APPLICABLE':
    case 'SKIPPED':
      return {
        waitingOn: 'nobody',
        action: 'nothing: this repository needs no change',
      };
    default:
      return { waitingOn: 'nobody', action: '' };
  }
}

export function fromRepository(changeset: RepositoryChangeset): MigrationRow {
  return {
    id: changeset.id,
    campaign: changeset.campaign,
    repository: changeset.repository,
    state: changeset.state,
    pullRequestUrl: changeset.pullRequestUrl,
    ...nextStep(changeset.state, changeset.lastError),
  };
}

export function fromTeam(changeset: TeamChangeset): MigrationRow {
  return {
    id: changeset.id,
    campaign: changeset.campaign,
    repository: changeset.repository,
    state: changeset.state,
    pullRequestUrl: changeset.pullRequestUrl,
    waitingOn: changeset.waitingOn,
    action: changeset.action,
  };
}

/** What waits on the team first, then what waits on Flotilla, then what is done. */
export function byUrgency(rows: MigrationRow[]): MigrationRow[] {
  const rank: Record<WaitingOn, number> = { team: 0, flotilla: 1, nobody: 2 };
  return [...rows].sort(
    (a, b) =>
      rank[a.waitingOn] - rank[b.waitingOn] ||
      a.campaign.localeCompare(b.campaign) ||
      a.repository.localeCompare(b.repository),
  );
}
