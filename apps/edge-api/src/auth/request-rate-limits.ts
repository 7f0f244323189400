import { AisbfError } from '@aisbf/contracts';
import type { RateLimiter } from '@aisbf/cache';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

const MINUTE_MS = 60_000;

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
