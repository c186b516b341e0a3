import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { flotillaApiRef } from './api/FlotillaApi';
import { FlotillaClient } from './api/FlotillaClient';
import { rootRouteRef } from './routes';

export const flotillaPlugin = createPlugin({
  id: 'flotilla',
  apis: [
    createApiFactory({
      api: flotillaApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new FlotillaClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/** The fleet page: campaigns' progress and the team ranking. Mount it on a route of the app. */
export const FlotillaFleetPage = flotillaPlugin.provide(
  createRoutableExtension({
    name: 'FlotillaFleetPage',
    component: () => import('./components/FleetPage').then(m => m.FleetPage),
    mountPoint: rootRouteRef,
  }),
);

/** The "Migrations" tab of a component's or group's entity page. */
export const EntityFlotillaContent = flotillaPlugin.provide(
  createComponentExtension({
    name: 'EntityFlotillaContent',
    component: {
      lazy: () =>
        import('./components/EntityMigrationsContent').then(
          m => m.EntityMigrationsContent,
        ),
    },
  }),
);
