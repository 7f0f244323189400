export * from './lib/config-store';
export * from './lib/config-file/config-file.schema';
export * from './lib/config-file/file-config-store';
export * from './lib/config-file/demo-config';
export * from './lib/config-source';
export * from './lib/config-store.token';
