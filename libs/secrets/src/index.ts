export * from './lib/secret-box';
export * from './lib/secret-env';
export * from './lib/secret-file';
