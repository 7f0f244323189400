import { createHash } from 'node:crypto';
import { AisbfError } from '@aisbf/contracts';
import type { RateLimiter } from '@aisbf/cache';
import type { EdgeEnv } from '../config/edge-env';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

const MINUTE_MS = 60_000;

/**
 * Per-user and per-token request limits, checked after authentication and before any bus call.
 * Token keys are hashed so no token ever lands in Redis.
 */
export async function enforceRequestLimits(
  limiter: RateLimiter,
  env: Pick<EdgeEnv, 'AISBF_RATE_LIMIT_USER_RPM' | 'AISBF_RATE_LIMIT_TOKEN_RPM'>,
  username: string,
  token: string,
): Promise<void> {
  const checks: Array<{ key: string; limit: number; what: string }> = [];
  if (env.AISBF_RATE_LIMIT_TOKEN_RPM > 0) {
    const tokenKey = createHash('sha256').update(token).digest('hex').slice(0, 32);
    checks.push({ key: `req:token:${tokenKey}`, limit: env.AISBF_RATE_LIMIT_TOKEN_RPM, what: 'API token' });
  }
  if (env.AISBF_RATE_LIMIT_USER_RPM > 0) {
    checks.push({ key: `req:user:${username}`, limit: env.AISBF_RATE_LIMIT_USER_RPM, what: 'user' });
  }
  for (const check of checks) {
    const decision = await limiter.take(check.key, { limit: check.limit, periodMs: MINUTE_MS });
    if (!decision.allowed) {
      throw new AisbfError(
        'rate_limit_exceeded',
        `rate limit reached for this ${check.what}: ${check.limit} requests per minute`,
        { retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)) },
      );
    }
  }
}

/**
 * Token guessing: failed authentications per client address. Once the budget is spent the address
 * gets 429 before its token is even looked at, so a right guess does not get through either.
 */
export class FailedAuthLimit {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly perMinute: number,
  ) {}

  private rate() {
    return { limit: this.perMinute, periodMs: MINUTE_MS };
  }

  async assertAllowed(ip: string): Promise<void> {
    if (this.perMinute <= 0) return;
    const decision = await this.limiter.check(`authfail:${ip}`, this.rate());
    if (!decision.allowed) {
      throw new AisbfError('rate_limit_exceeded', 'too many failed authentications from this address', {
        retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
      });
    }
  }

  async recordFailure(ip: string): Promise<void> {
    if (this.perMinute > 0) await this.limiter.take(`authfail:${ip}`, this.rate());
  }
}
