export * from './connector.module';
export * from './config/connector-env';
