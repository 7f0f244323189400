export * from './edge-api.module';
export * from './config/edge-env';
export * from './http/edge-http-app';
