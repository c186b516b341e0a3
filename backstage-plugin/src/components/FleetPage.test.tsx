import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { flotillaApiRef } from '../api/FlotillaApi';
import { fixtureClient } from '../__fixtures__/fixtureApi';
import { FleetPage, rankTeams } from './FleetPage';
import teams from '../__fixtures__/teams.json';
import { TeamList } from '../api/types';

describe('FleetPage', () => {
  it("shows every campaign's progress", async () => {
    const { client } = fixtureClient();
    await renderInTestApp(
      <TestApiProvider apis={[[flotillaApiRef, client]]}>
        <FleetPage />
      </TestApiProvider>,
    );

    const jackson = within(
      (await screen.findByText('jackson')).closest('tr') as HTMLElement,
    );
    expect(jackson.getByText('2 / 6 / 8')).toBeInTheDocument();
    expect(jackson.getByTitle('25%')).toBeInTheDocument();
    expect(jackson.getByText('2026-11-05')).toBeInTheDocument();
    const checkout = within(screen.getByText('checkout').closest('tr') as HTMLElement);
    expect(checkout.getByText('0 / 2 / 3')).toBeInTheDocument();
  });

  it('ranks the teams by how quickly they merge', async () => {
    const { client } = fixtureClient();
    await renderInTestApp(
      <TestApiProvider apis={[[flotillaApiRef, client]]}>
        <FleetPage />
      </TestApiProvider>,
    );

    expect(await screen.findByText('Teams by time to merge')).toBeInTheDocument();
    const ranking = screen.getByText('payments').closest('tbody') as HTMLElement;
    const teamsInOrder = within(ranking)
      .getAllByRole('row')
      .map(row => within(row).getAllByRole('cell').slice(0, 3).map(c => c.textContent));
    expect(teamsInOrder).toEqual([
      ['1', 'payments', '1.0'],
      ['2', 'core', '1.0'],
    ]);
  });

  it('leaves the ranking out against a Flotilla without team pages', async () => {
    const { client } = fixtureClient({ fail: { '/api/teams': 404 } });
    await renderInTestApp(
      <TestApiProvider apis={[[flotillaApiRef, client]]}>
        <FleetPage />
      </TestApiProvider>,
    );

    expect(await screen.findByText('jackson')).toBeInTheDocument();
    expect(screen.queryByText('Teams by time to merge')).not.toBeInTheDocument();
  });

  it('puts teams that merged nothing yet last', () => {
    const ranked = rankTeams([
      ...(teams.body as TeamList).teams,
      { team: 'web', repositories: 1, open: 1, waitingOnTeam: 1, merged: 0, failed: 0, medianHoursToMerge: null },
    ]);
    expect(ranked.map(t => t.team)).toEqual(['payments', 'core', 'web']);
  });
});
