export * from './lib/otel-sdk';
export * from './lib/logger';
export * from './lib/nest-logger';
