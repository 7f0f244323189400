export * from './route-resolver.module';
export * from './config/resolver-env';
