import { Entity } from '@backstage/catalog-model';
import {
  EmptyState,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/lib/useAsync';
import { FlotillaNotFoundError, flotillaApiRef } from '../api/FlotillaApi';
import { Repository } from '../api/types';
import { MigrationsTable } from './MigrationsTable';
import { byUrgency, fromRepository, fromTeam } from './nextStep';

/** The annotation that names a component's repository, `owner/name`. */
export const PROJECT_SLUG_ANNOTATION = 'github.com/project-slug';

/** For `EntitySwitch`: components with a repository, and groups (teams). */
export function isFlotillaAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'group' ||
    Boolean(entity.metadata.annotations?.[PROJECT_SLUG_ANNOTATION])
  );
}

function ownedBy(repository: Repository): string {
  const source = repository.ownerSource ? ` (from ${repository.ownerSource})` : '';
  const stale = repository.ownerStale
    ? `; the Backstage catalog's last answer, as of ${repository.ownerAsOf?.slice(0, 10)}`
    : '';
  return `owned by ${repository.owner}${source}${stale}`;
}

const RepositoryMigrations = ({ repository }: { repository: string }) => {
  const flotilla = useApi(flotillaApiRef);
  const { value, loading, error } = useAsync(
    () => flotilla.repository(repository),
    [flotilla, repository],
  );
  if (loading) {
    return <Progress />;
  }
  if (error instanceof FlotillaNotFoundError) {
    return (
      <EmptyState
        missing="data"
        title="Flotilla does not know this repository"
        description={`${error.message}. A repository takes part in campaigns once it has a .flotilla.yaml with "enabled: true".`}
      />
    );
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('no answer')} />;
  }
  const owner = value.owner ? ownedBy(value) : undefined;
  return (
    <Grid container spacing={2} direction="column">
      {value.optInError && (
        <Grid item>
          <WarningPanel
            severity="error"
            title="Flotilla refused this repository's .flotilla.yaml"
            message={`${value.optInError}. Until it is fixed, no campaign changes this repository.`}
          />
        </Grid>
      )}
      <Grid item>
        <MigrationsTable
          title={`Migrations on ${value.repository}`}
          subtitle={owner}
          rows={byUrgency(value.changesets.map(fromRepository))}
        />
      </Grid>
    </Grid>
  );
};

const TeamMigrations = ({ team }: { team: string }) => {
  const flotilla = useApi(flotillaApiRef);
  const { value, loading, error } = useAsync(
    () => flotilla.team(team),
    [flotilla, team],
  );
  if (loading) {
    return <Progress />;
  }
  if (error instanceof FlotillaNotFoundError) {
    return (
      <EmptyState
        missing="data"
        title={`Flotilla knows no repository owned by ${team}`}
        description={error.message}
      />
    );
  }
  if (error || !value) {
    return <ResponseErrorPanel error={error ?? new Error('no answer')} />;
  }
  const rows = byUrgency(value.changesets.map(fromTeam));
  const waiting = rows.filter(row => row.waitingOn === 'team').length;
  const latest = value.burndown[value.burndown.length - 1];
  const stale = value.repositories.filter(r => r.ownerStale).length;
  return (
    <Grid container spacing={2} direction="column">
      <Grid item>
        <Typography variant="body1">
          {value.repositories.length} repositories owned by {value.team};{' '}
          {waiting === 0
            ? 'nothing waits on the team'
            : `${waiting} waiting on the team`}
          {latest ? `; ${latest.open} open, ${latest.merged} merged` : ''}.
          {stale > 0 &&
            ` The owner of ${stale} of them is the Backstage catalog's last answer: it could not be asked at the last scan.`}
        </Typography>
      </Grid>
      <Grid item>
        <MigrationsTable
          title={`Migrations for ${value.team}`}
          rows={rows}
          showRepository
        />
      </Grid>
    </Grid>
  );
};

/**
 * The entity page's "Migrations" tab: a component's repository's changesets across every campaign, or for a
 * group the changesets of every repository the team owns.
 */
export const EntityMigrationsContent = () => {
  const { entity } = useEntity();
  if (entity.kind.toLocaleLowerCase('en-US') === 'group') {
    return <TeamMigrations team={entity.metadata.name} />;
  }
  const slug = entity.metadata.annotations?.[PROJECT_SLUG_ANNOTATION];
  if (!slug) {
    return <MissingAnnotationEmptyState annotation={PROJECT_SLUG_ANNOTATION} />;
  }
  return <RepositoryMigrations repository={slug} />;
};
