export * from './classifier.module';
export * from './config/classifier-env';
