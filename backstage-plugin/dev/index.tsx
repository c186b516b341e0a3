import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import {
  Content,
  Header,
  HeaderTabs,
  Page,
} from '@backstage/core-components';
import {
  EntityFlotillaContent,
  FlotillaFleetPage,
  flotillaApiRef,
  flotillaPlugin,
} from '../src';
import { fixtureClient } from '../src/__fixtures__/fixtureApi';

// The dev harness serves the recorded fixtures, so the plugin can be seen (and photographed) without a
// Backstage backend or a Flotilla controller: `npm start`, then /flotilla-entity or /flotilla.
const charlie: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'charlie',
    annotations: { 'github.com/project-slug': 'acme/charlie' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:acme' },
};

const core: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'core' },
  spec: { type: 'team', children: [] },
};

const EntityTab = ({ entity }: { entity: Entity }) => (
  <EntityProvider entity={entity}>
    <Page themeId="service">
      <Header title={entity.metadata.name} type={entity.kind} />
      <HeaderTabs
        selectedIndex={2}
        tabs={['Overview', 'CI/CD', 'Migrations', 'Docs'].map(label => ({
          id: label,
          label,
        }))}
      />
      <Content>
        <EntityFlotillaContent />
      </Content>
    </Page>
  </EntityProvider>
);

createDevApp()
  .registerPlugin(flotillaPlugin)
  .registerApi({
    api: flotillaApiRef,
    deps: {},
    factory: () => fixtureClient().client,
  })
  .addPage({
    element: <EntityTab entity={charlie} />,
    title: 'Component: Migrations',
    path: '/flotilla-entity',
  })
  .addPage({
    element: <EntityTab entity={core} />,
    title: 'Group: Migrations',
    path: '/flotilla-team',
  })
  .addPage({
    element: <FlotillaFleetPage />,
    title: 'Fleet',
    path: '/flotilla',
  })
  .render();
