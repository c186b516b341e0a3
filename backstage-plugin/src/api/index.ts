export * from './types';
export * from './FlotillaApi';
export { FlotillaClient } from './FlotillaClient';
