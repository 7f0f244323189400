export * from './route-resolver.module';
export * from './config/resolver-env';
export * from './config/route-state-env';
