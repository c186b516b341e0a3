import { FlotillaNotFoundError } from './FlotillaApi';
import { PROXY_BASE, fixtureClient } from '../__fixtures__/fixtureApi';

describe('FlotillaClient', () => {
  it('reads through the proxy endpoint /flotilla', async () => {
    const { client, requested } = fixtureClient();

    const campaigns = await client.campaigns();
    const repository = await client.repository('acme/charlie');

    expect(requested).toEqual([
      `${PROXY_BASE}/flotilla/campaigns`,
      `${PROXY_BASE}/flotilla/repos/acme/charlie`,
    ]);
    expect(campaigns.campaigns.map(c => c.name)).toEqual(['checkout', 'jackson']);
    expect(repository.changesets.map(c => c.state)).toEqual(['PR_OPEN', 'CI_FAILED']);
  });

  it("says a repository Flotilla does not know is not found, with Flotilla's reason", async () => {
    const { client } = fixtureClient();

    const failure = client.repository('acme/unknown');

    await expect(failure).rejects.toBeInstanceOf(FlotillaNotFoundError);
    await expect(failure).rejects.toThrow(
      "Repository 'acme/unknown' is unknown to Flotilla; if it was just created, rescan the fleet",
    );
  });

  it('refuses a project slug that is not owner/name before asking anything', async () => {
    const { client, requested } = fixtureClient();

    await expect(client.repository('acme')).rejects.toThrow(
      "'acme' is not a repository name: expected owner/name",
    );
    expect(requested).toEqual([]);
  });

  it('says how to configure the proxy when Flotilla refuses the read', async () => {
    const { client } = fixtureClient({ fail: { '/api/campaigns': 401 } });

    await expect(client.campaigns()).rejects.toThrow(
      'Flotilla refused the read (401: refused by the test); set the proxy\'s Authorization header',
    );
  });
});
