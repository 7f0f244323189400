// First: from here on, dependencies load without their source maps.
export * from './lib/source-map-scope';
export * from './lib/otel-sdk';
export * from './lib/logger';
export * from './lib/nest-logger';
