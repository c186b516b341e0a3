/**
 * Flotilla's migrations in Backstage: a "Migrations" tab for components and groups, and a fleet page.
 *
 * @packageDocumentation
 */
export {
  flotillaPlugin,
  FlotillaFleetPage,
  EntityFlotillaContent,
} from './plugin';
export {
  isFlotillaAvailable,
  PROJECT_SLUG_ANNOTATION,
} from './components/EntityMigrationsContent';
export * from './api';
