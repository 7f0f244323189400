import pino, { Logger } from 'pino';

/** Longest time a line waits in the buffer before it is written. */
export const LOG_FLUSH_MS = 200;

/**
 * Lines are written in blocks of about 4 KB, at the latest every LOG_FLUSH_MS, and on exit.
 * Written line by line, each request's summary line cost a thread-pool write and two thread
 * wake-ups, more than building the line; a process killed outright loses its last LOG_FLUSH_MS.
 */
export function logDestination(fd: number): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: fd, sync: false, minLength: 4096, periodicFlush: LOG_FLUSH_MS });
}

/** Writes what the logger still holds, synchronously (at shutdown, before a banner). */
export function flushLogSync(logger: Logger): void {
  const stream = (logger as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym];
  try {
    stream?.flushSync?.();
  } catch {
    // Not open yet, or stdout is gone: nothing can be written anyway.
  }
}
