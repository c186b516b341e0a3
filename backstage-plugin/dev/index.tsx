import { createDevApp } from '@backstage/dev-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { Content, Header, Page } from '@backstage/core-components';
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

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments' },
  spec: { type: 'team', children: [] },
};

const EntityTab = ({ entity }: { entity: Entity }) => (
  <EntityProvider entity={entity}>
    <Page themeId="service">
      <Header title={entity.metadata.name} type={entity.kind} />
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
    element: <EntityTab entity={payments} />,
    title: 'Group: Migrations',
    path: '/flotilla-team',
  })
  .addPage({
    element: <FlotillaFleetPage />,
    title: 'Fleet',
    path: '/flotilla',
  })
  .render();
