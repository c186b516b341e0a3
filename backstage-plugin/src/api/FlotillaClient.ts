import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { FlotillaApi, FlotillaNotFoundError } from './FlotillaApi';
import { CampaignList, Repository, Team, TeamList } from './types';

/**
 * Reads Flotilla through the proxy endpoint `/flotilla` of Backstage's proxy backend, whose target is
 * the controller's `/api` and which adds the read token: the browser never holds it.
 */
export class FlotillaClient implements FlotillaApi {
  static readonly PROXY_PATH = '/flotilla';

  constructor(
    private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  campaigns(): Promise<CampaignList> {
    return this.get('/campaigns');
  }

  repository(fullName: string): Promise<Repository> {
    const [owner, name, ...rest] = fullName.split('/');
    if (!owner || !name || rest.length > 0) {
      return Promise.reject(
        new Error(
          `'${fullName}' is not a repository name: expected owner/name, as in the github.com/project-slug annotation`,
        ),
      );
    }
    return this.get(
      `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`,
    );
  }

  teams(): Promise<TeamList> {
    return this.get('/teams');
  }

  team(name: string): Promise<Team> {
    return this.get(`/teams/${encodeURIComponent(name)}`);
  }

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('proxy');
    const url = `${base}${FlotillaClient.PROXY_PATH}${path}`;
    const response = await this.options.fetchApi.fetch(url);
    if (response.ok) {
      return (await response.json()) as T;
    }
    const reason = await errorOf(response);
    if (response.status === 404) {
      throw new FlotillaNotFoundError(reason);
    }
    if (response.status === 401 || response.status === 403) {
      throw new Error(
        `Flotilla refused the read (${response.status}: ${reason}); set the proxy's Authorization header to "Bearer <FLOTILLA_DASHBOARD_TOKEN>" under proxy.endpoints./flotilla in app-config.yaml`,
      );
    }
    throw new Error(
      `Flotilla answered ${response.status} for GET ${path}: ${reason}`,
    );
  }
}

/** Flotilla's errors are `{"error": "..."}`; a proxy in between may answer with anything. */
async function errorOf(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === 'string') {
      return body.error;
    }
  } catch {
    // not JSON: the proxy's own page, shown as it is below
  }
  return text.slice(0, 200) || response.statusText;
}
