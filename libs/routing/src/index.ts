export * from './lib/config/provider.schema';
export * from './lib/config/rotation.schema';
export * from './lib/config/autoselect.schema';
export * from './lib/config/user-route-config';
export * from './lib/plan/provider-target';
export * from './lib/plan/route-catalog';
export * from './lib/config/config-problems';
export * from './lib/config/config-references';
