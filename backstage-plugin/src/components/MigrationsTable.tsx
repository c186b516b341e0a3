import { Link, Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { MigrationRow } from './nextStep';
import { StateLabel } from './StateLabel';

const WAITING_ON: Record<MigrationRow['waitingOn'], string> = {
  team: 'your team',
  flotilla: 'Flotilla',
  nobody: '—',
};

function pullRequestLabel(url: string): string {
  const number = /\/pull\/(\d+)\/?$/.exec(url);
  return number ? `#${number[1]}` : 'pull request';
}

/** The changesets of a repository or a team: state, pull request, who acts next and what to do. */
export const MigrationsTable = (props: {
  title: string;
  subtitle?: string;
  rows: MigrationRow[];
  showRepository?: boolean;
}) => {
  const columns: TableColumn<MigrationRow>[] = [
    { title: 'Campaign', field: 'campaign', highlight: true },
    ...(props.showRepository
      ? [{ title: 'Repository', field: 'repository' } as TableColumn<MigrationRow>]
      : []),
    {
      title: 'State',
      field: 'state',
      render: row => <StateLabel state={row.state} />,
    },
    {
      title: 'Pull request',
      field: 'pullRequestUrl',
      render: row =>
        row.pullRequestUrl ? (
          <Link to={row.pullRequestUrl}>
            {pullRequestLabel(row.pullRequestUrl)}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      title: 'Waiting on',
      field: 'waitingOn',
      render: row => WAITING_ON[row.waitingOn],
    },
    {
      title: 'What to do',
      field: 'action',
      cellStyle: { minWidth: 360 },
      headerStyle: { minWidth: 360 },
      render: row => (
        <>
          <Typography variant="body2">{row.action}</Typography>
          {row.reason && (
            <Typography variant="caption" color="textSecondary">
              {row.reason}
            </Typography>
          )}
        </>
      ),
    },
  ];
  return (
    <Table<MigrationRow>
      title={props.title}
      subtitle={props.subtitle}
      columns={columns}
      // material-table writes its own state into the rows it is given
      data={props.rows.map(row => ({ ...row }))}
      options={{
        search: false,
        padding: 'dense',
        paging: props.rows.length > 20,
        pageSize: 20,
      }}
      emptyContent={
        <div style={{ padding: 16 }}>No campaign has reached this yet.</div>
      }
    />
  );
};
