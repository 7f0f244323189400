import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { flushLogSync } from './log-destination';

/** The service's logger, or null when the context logs nowhere. */
export const TELEMETRY_LOGGER_FLUSH = Symbol('TELEMETRY_LOGGER_FLUSH');

/**
 * Writes the logger's pending block when the context shuts down: Nest's shutdown hooks end the
 * process by raising the signal again, so the exit handler that would write it never runs.
 */
@Injectable()
export class LogFlushLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TELEMETRY_LOGGER_FLUSH) private readonly logger: Logger | null) {}

  onApplicationShutdown(): void {
    if (this.logger) flushLogSync(this.logger);
  }
}
