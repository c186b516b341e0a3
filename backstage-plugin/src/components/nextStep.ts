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
  reason: string | null;
}

/**
 * Who acts next on a changeset and what they should do, from its state, in the words of Flotilla's team API
 * (which says it itself, see {@link fromTeam}); the repository endpoint gives only the state. Pure.
 */
export function nextStep(state: ChangesetState): {
  waitingOn: WaitingOn;
  action: string;
} {
  switch (state) {
    case 'PR_OPEN':
      return {
        waitingOn: 'team',
        action:
          'Review the pull request; Flotilla merges it once approved and green, or merge it yourself if automerge is off in .flotilla.yaml.',
      };
    case 'MERGEABLE':
      return {
        waitingOn: 'team',
        action:
          'Merge the pull request if automerge is off in .flotilla.yaml; otherwise Flotilla merges it in the merge window.',
      };
    case 'CI_FAILED':
      return {
        waitingOn: 'team',
        action:
          'Open the failing checks on the pull request and fix them; Flotilla merges once they pass.',
      };
    case 'MODIFIED':
      return {
        waitingOn: 'team',
        action:
          "Someone pushed to the pull request's branch: review the extra commits and merge it by hand.",
      };
    case 'NEEDS_HUMAN':
      return {
        waitingOn: 'team',
        action:
          'Do what the reason asks in the repository, then ask the platform team to retry.',
      };
    case 'INVALID_CONFIG':
      return {
        waitingOn: 'team',
        action: 'Fix .flotilla.yaml as the error says; the next scan picks it up.',
      };
    case 'PENDING':
    case 'RUNNING':
    case 'PUSHED':
      return {
        waitingOn: 'flotilla',
        action: 'Nothing yet: Flotilla is preparing the pull request.',
      };
    case 'CI_PENDING':
      return {
        waitingOn: 'flotilla',
        action: 'Nothing yet: CI is running on the pull request.',
      };
    case 'CONFLICT':
      return {
        waitingOn: 'flotilla',
        action: 'Nothing: Flotilla re-runs the migration on the new default branch.',
      };
    case 'FAILED':
      return {
        waitingOn: 'flotilla',
        action: 'Nothing yet: the run failed and the platform team looks into it.',
      };
    case 'HALTED':
      return {
        waitingOn: 'flotilla',
        action: 'Nothing: the campaign is halted until the platform team resumes it.',
      };
    case 'MERGED':
      return { waitingOn: 'nobody', action: 'Done: merged.' };
    case 'NO_CHANGE':
    case 'NOT_APPLICABLE':
      return { waitingOn: 'nobody', action: 'Done: nothing to change here.' };
    case 'SKIPPED':
      return {
        waitingOn: 'nobody',
        action: 'Nothing: the repository is not part of this campaign.',
      };
    case 'CLOSED':
      return {
        waitingOn: 'nobody',
        action: 'Done: the pull request was closed without merging.',
      };
    default:
      return { waitingOn: 'nobody', action: '' };
  }
}

/** The last error names why a changeset is stuck; a finished or moving one has nothing to explain. */
function reasonOf(changeset: RepositoryChangeset): string | null {
  const { waitingOn } = nextStep(changeset.state);
  if (waitingOn === 'nobody' || !changeset.lastError) {
    return null;
  }
  return changeset.lastError.replace(/^invalid \.flotilla\.yaml: /, '');
}

export function fromRepository(changeset: RepositoryChangeset): MigrationRow {
  return {
    id: changeset.id,
    campaign: changeset.campaign,
    repository: changeset.repository,
    state: changeset.state,
    pullRequestUrl: changeset.pullRequestUrl,
    ...nextStep(changeset.state),
    reason: reasonOf(changeset),
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
    reason: changeset.reason,
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
