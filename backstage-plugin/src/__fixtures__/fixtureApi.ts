import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { FlotillaClient } from '../api/FlotillaClient';
import { Fixture, fixtures } from './index';

/** Where a Backstage app's discovery puts the proxy backend. */
export const PROXY_BASE = 'http://backstage.test/api/proxy';

/**
 * The plugin's real client, with a fetch that answers each URL under the proxy's /flotilla endpoint with the
 * recorded answer to the same path on Flotilla (the proxy's target is Flotilla's /api). Anything else fails
 * the test, so a wrong URL cannot pass as "not found".
 */
export function fixtureClient(options: { fail?: Record<string, number> } = {}) {
  const requested: string[] = [];
  const discoveryApi: DiscoveryApi = {
    getBaseUrl: async (pluginId: string) => {
      if (pluginId !== 'proxy') {
        throw new Error(`the plugin asked discovery for '${pluginId}', not 'proxy'`);
      }
      return PROXY_BASE;
    },
  };
  const fetchApi: FetchApi = {
    fetch: async (input: any) => {
      const url = String(input);
      requested.push(url);
      const prefix = `${PROXY_BASE}/flotilla/`;
      if (!url.startsWith(prefix)) {
        throw new Error(`request outside the proxy's /flotilla endpoint: ${url}`);
      }
      const path = `/api/${url.slice(prefix.length)}`;
      if (options.fail?.[path]) {
        return answer(options.fail[path], { error: 'refused by the test' });
      }
      const fixture = fixtures.find((f: Fixture) => f.request === `GET ${path}`);
      if (!fixture) {
        throw new Error(`no fixture records GET ${path}`);
      }
      return answer(fixture.status, fixture.body);
    },
  };
  return { client: new FlotillaClient({ discoveryApi, fetchApi }), requested };
}

/** Just what the client reads of a fetch Response; jsdom has no Response of its own. */
function answer(status: number, body: unknown): Response {
  const text = JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    json: async () => JSON.parse(text),
    text: async () => text,
  } as Response;
}
