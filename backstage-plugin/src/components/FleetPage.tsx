import {
  Content,
  ContentHeader,
  Header,
  LinearGauge,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/lib/useAsync';
import { FlotillaNotFoundError, flotillaApiRef } from '../api/FlotillaApi';
import { Campaign, TeamSummary } from '../api/types';

function day(instant: string | null): string {
  return instant ? instant.slice(0, 10) : '—';
}

const campaignColumns: TableColumn<Campaign>[] = [
  {
    title: 'Campaign',
    field: 'name',
    highlight: true,
    render: c => (
      <>
        <Typography variant="body2">{c.name}</Typography>
        <Typography variant="caption" color="textSecondary">
          {c.migration}
        </Typography>
      </>
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: c => (c.statusReason ? `${c.status}: ${c.statusReason}` : c.status),
  },
  {
    title: 'Merged',
    field: 'mergeRate',
    width: '20%',
    render: c => <LinearGauge value={c.mergeRate} />,
  },
  {
    title: 'Merged / open / total',
    render: c => `${c.merged} / ${c.open} / ${c.total}`,
  },
  { title: 'Merges a day (7 days)', field: 'mergesPerDay', type: 'numeric' },
  { title: 'Started', render: c => day(c.startedAt) },
  { title: 'Done at this pace', render: c => day(c.estimatedCompletion) },
];

/** Fastest to merge first; a team that has merged nothing yet after those that have. */
export function rankTeams(teams: TeamSummary[]): TeamSummary[] {
  const hours = (t: TeamSummary) => t.medianHoursToMerge ?? Infinity;
  return [...teams].sort(
    (a, b) =>
      hours(a) - hours(b) || a.open - b.open || a.team.localeCompare(b.team),
  );
}

const teamColumns: TableColumn<TeamSummary & { rank: number }>[] = [
  { title: '#', field: 'rank', width: '5%' },
  { title: 'Team', field: 'team', highlight: true },
  {
    title: 'Median hours to merge',
    render: t =>
      t.medianHoursToMerge === null ? '—' : t.medianHoursToMerge.toFixed(1),
  },
  { title: 'Open', field: 'open', type: 'numeric' },
  { title: 'Waiting on the team', field: 'waitingOnTeam', type: 'numeric' },
  { title: 'Merged', field: 'merged', type: 'numeric' },
  { title: 'Failed', field: 'failed', type: 'numeric' },
  { title: 'Repositories', field: 'repositories', type: 'numeric' },
];

const Campaigns = () => {
  const flotilla = useApi(flotillaApiRef);
  const { value, loading, error } = useAsync(() => flotilla.campaigns(), [flotilla]);
  if (loading) {
    return <Progress />;
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('no answer')} />;
  }
  return (
    <Table<Campaign>
      title="Campaigns"
      columns={campaignColumns}
      data={value.campaigns.map(c => ({ ...c }))}
      options={{ search: false, paging: false, padding: 'dense' }}
    />
  );
};

/** The team ranking; left out against a Flotilla without team pages (it answers 404). */
const Teams = () => {
  const flotilla = useApi(flotillaApiRef);
  const { value, loading, error } = useAsync(() => flotilla.teams(), [flotilla]);
  if (loading) {
    return <Progress />;
  }
  if (error instanceof FlotillaNotFoundError) {
    return null;
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('no answer')} />;
  }
  return (
    <Table<TeamSummary & { rank: number }>
      title="Teams by time to merge"
      columns={teamColumns}
      data={rankTeams(value.teams).map((t, i) => ({ ...t, rank: i + 1 }))}
      options={{ search: false, paging: false, padding: 'dense' }}
    />
  );
};

/** The fleet page: every campaign's progress, and the teams ranked by how quickly they merge. */
export const FleetPage = () => (
  <Page themeId="tool">
    <Header
      title="Fleet migrations"
      subtitle="Flotilla's campaigns across every repository"
    />
    <Content>
      <ContentHeader title="Progress" />
      <Campaigns />
      <div style={{ height: 24 }} />
      <Teams />
    </Content>
  </Page>
);
