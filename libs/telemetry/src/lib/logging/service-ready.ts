import type { Logger } from 'pino';
import { flushLogSync } from './log-destination';

/** The line orchestrators, operators and the test stack wait for, written at once rather than with the next block. */
export function logServiceReady(logger: Logger, fields: Record<string, unknown> = {}): void {
  logger.info(fields, 'aisbf service ready');
  flushLogSync(logger);
}
