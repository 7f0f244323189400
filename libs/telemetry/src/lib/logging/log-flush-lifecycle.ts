import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { flushLogSync } from './log-destination';
import { AISBF_LOGGER } from './logger-token';

/**
 * Writes the logger's pending block when the context shuts down: Nest's shutdown hooks end the
 * process by raising the signal again, so the exit handler that would write it never runs.
 */
@Injectable()
export class LogFlushLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AISBF_LOGGER) private readonly logger: Logger) {}

  onApplicationShutdown(): void {
    flushLogSync(this.logger);
  }
}
