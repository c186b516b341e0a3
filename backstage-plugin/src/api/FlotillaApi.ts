import { createApiRef } from '@backstage/core-plugin-api';
import { CampaignList, Repository, Team, TeamList } from './types';

/** Flotilla's dashboard API, read through the Backstage proxy. */
export interface FlotillaApi {
  campaigns(): Promise<CampaignList>;
  /** A repository's changesets across campaigns, by its full name `owner/name`. */
  repository(fullName: string): Promise<Repository>;
  teams(): Promise<TeamList>;
  team(name: string): Promise<Team>;
}

export const flotillaApiRef = createApiRef<FlotillaApi>({
  id: 'plugin.flotilla.service',
});

/** Flotilla answered 404: the repository or team is not one it knows. */
export class FlotillaNotFoundError extends Error {
  name = 'FlotillaNotFoundError';
}
