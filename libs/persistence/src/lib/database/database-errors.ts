import { AisbfError } from '@aisbf/contracts';

const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'POOL_CLOSED',
  'POOL_ENQUEUELIMIT',
]);

function driverCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDuplicateKey(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/.test(String((error as Error)?.message));
}

/**
 * Database failures as the client should see them: a database that is away is a 503 (the
 * transaction rolled back, nothing half-written); AISBF's own errors pass through.
 */
export function databaseError(error: unknown): AisbfError {
  if (error instanceof AisbfError) return error;
  const code = driverCode(error);
  if (code && (UNAVAILABLE.has(code) || /^(E[A-Z]+$|PROTOCOL_)/.test(code))) {
    return new AisbfError('service_unavailable', 'the configuration database is unavailable; nothing was changed, try again', {
      retryable: true,
    });
  }
  if (isDuplicateKey(error)) return new AisbfError('conflict', 'a concurrent change created the same item; reload and try again');
  return AisbfError.from(error);
}
