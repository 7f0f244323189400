export * from './route-resolver.module';
export * from './config/resolver-env';
export * from './autoselect/autoselect-env-options';
export * from './config/route-state-env';
