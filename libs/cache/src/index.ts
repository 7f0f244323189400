export * from './lib/shared-cache';
export * from './lib/memory-shared-cache';
export * from './lib/redis-shared-cache';
export * from './lib/read-through-cache';
export * from './lib/cache-env';
export * from './lib/rate-limiter';
export * from './lib/redis-rate-limiter';
