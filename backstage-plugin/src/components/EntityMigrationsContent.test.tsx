import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { flotillaApiRef } from '../api/FlotillaApi';
import { fixtureClient } from '../__fixtures__/fixtureApi';
import { EntityMigrationsContent, isFlotillaAvailable } from './EntityMigrationsContent';

function component(slug?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'charlie',
      annotations: slug ? { 'github.com/project-slug': slug } : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:acme' },
  };
}

async function render(entity: Entity) {
  const { client } = fixtureClient();
  return renderInTestApp(
    <TestApiProvider apis={[[flotillaApiRef, client]]}>
      <EntityProvider entity={entity}>
        <EntityMigrationsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function rowOf(text: string): HTMLElement {
  return screen.getByText(text).closest('tr') as HTMLElement;
}

function group(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [] },
  };
}

describe('EntityMigrationsContent', () => {
  it("shows a component's changesets across campaigns with state, pull request and what to do", async () => {
    await render(component('acme/charlie'));

    expect(await screen.findByText('Migrations on acme/charlie')).toBeInTheDocument();
    expect(screen.getByText('owned by core (from catalog-info)')).toBeInTheDocument();
    const jackson = within(rowOf('jackson'));
    expect(jackson.getByText('CI FAILED')).toBeInTheDocument();
    expect(jackson.getByRole('link', { name: /^#3/ })).toHaveAttribute(
      'href',
      'https://forge.test/acme/charlie/pull/3',
    );
    expect(
      jackson.getByText(
        'Open the failing checks on the pull request and fix them; Flotilla merges once they pass.',
      ),
    ).toBeInTheDocument();
    expect(jackson.getByText('CI failed: build')).toBeInTheDocument();
    expect(jackson.getByText('your team')).toBeInTheDocument();
    const checkout = within(rowOf('checkout'));
    expect(checkout.getByText('PR OPEN')).toBeInTheDocument();
    expect(checkout.getByRole('link', { name: /^#12/ })).toBeInTheDocument();
    expect(checkout.getByText(/^Review the pull request/)).toBeInTheDocument();
  });

  it('says why an opt-in file was refused', async () => {
    await render(component('acme/broken'));

    expect(
      await screen.findByText(/Flotilla refused this repository's \.flotilla\.yaml/),
    ).toBeInTheDocument();
    expect(screen.getByText(/^line 3: unknown key 'automerg'\. Until it is fixed/)).toBeInTheDocument();
    const jackson = within(rowOf('jackson'));
    expect(jackson.getByText('INVALID CONFIG')).toBeInTheDocument();
    expect(
      jackson.getByText('Fix .flotilla.yaml as the error says; the next scan picks it up.'),
    ).toBeInTheDocument();
    expect(jackson.getByText("line 3: unknown key 'automerg'")).toBeInTheDocument();
  });

  it("says so when Flotilla does not know the component's repository", async () => {
    await render(component('acme/unknown'));

    expect(
      await screen.findByText('Flotilla does not know this repository'),
    ).toBeInTheDocument();
  });

  it('asks for the project slug annotation when the component has none', async () => {
    await render(component());

    expect(
      (await screen.findAllByText(/github\.com\/project-slug/)).length,
    ).toBeGreaterThan(0);
  });

  it("shows a team's changesets across its repositories, what waits on the team first", async () => {
    await render(group('core'));

    expect(await screen.findByText('Migrations for core')).toBeInTheDocument();
    expect(
      screen.getByText(/^5 repositories owned by core; 4 waiting on the team/),
    ).toBeInTheDocument();
    const rows = screen
      .getAllByRole('row')
      .slice(1)
      .map(r => within(r).getAllByRole('cell').slice(0, 2).map(c => c.textContent));
    expect(rows.slice(0, 4)).toEqual([
      ['checkout', 'acme/charlie'],
      ['jackson', 'acme/broken'],
      ['jackson', 'acme/charlie'],
      ['jackson', 'acme/delta'],
    ]);
    expect(within(rowOf('acme/delta')).getByRole('link', { name: /^#4/ })).toHaveAttribute(
      'href',
      'https://forge.test/acme/delta/pull/4',
    );
  });

  it("says when a team's ownership is the Backstage catalog's last answer", async () => {
    await render(group('payments'));

    expect(
      await screen.findByText(/The owner of 1 of them is the Backstage catalog's last answer/),
    ).toBeInTheDocument();
  });

  it('is available for components with a repository and for groups', () => {
    expect(isFlotillaAvailable(component('acme/charlie'))).toBe(true);
    expect(isFlotillaAvailable(group('core'))).toBe(true);
    expect(isFlotillaAvailable(component())).toBe(false);
  });
});
