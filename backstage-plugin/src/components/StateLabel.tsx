import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { ChangesetState } from '../api/types';

/** A changeset's state with the status colour Backstage uses for the same meaning elsewhere. */
export const StateLabel = ({ state }: { state: ChangesetState }) => {
  const label = state.replace(/_/g, ' ');
  switch (state) {
    case 'MERGED':
      return <StatusOK>{label}</StatusOK>;
    case 'FAILED':
    case 'CI_FAILED':
    case 'INVALID_CONFIG':
      return <StatusError>{label}</StatusError>;
    case 'CONFLICT':
    case 'NEEDS_HUMAN':
    case 'MODIFIED':
    case 'HALTED':
      return <StatusWarning>{label}</StatusWarning>;
    case 'RUNNING':
    case 'PUSHED':
    case 'CI_PENDING':
      return <StatusRunning>{label}</StatusRunning>;
    case 'PENDING':
    case 'PR_OPEN':
    case 'MERGEABLE':
      return <StatusPending>{label}</StatusPending>;
    default:
      return <StatusAborted>{label}</StatusAborted>;
  }
};
