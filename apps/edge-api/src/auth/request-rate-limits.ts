import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AisbfError, authFailedSchema, SUBJECTS } from '@aisbf/contracts';
import type { RateLimiter } from '@aisbf/cache';
import { BusClient, BusServer } from '@aisbf/bus';
import { EDGE_ENV, type EdgeEnv } from '../config/edge-env';
import { SuspectAddresses } from './suspect-addresses';

export const RATE_LIMITER = Symbol('RATE_LIMITER');

const MINUTE_MS = 60_000;
const KEY_PREFIX = 'authfail:';

/**
 * Token guessing: failed authentications per client address, one budget for every surface and
 * replica (the shared limiter). Once the budget is spent the address gets 429 before its token is
 * even looked at, so a right guess does not get through either. Only addresses that failed
 * recently (see SuspectAddresses) are checked against the shared limiter.
 */
@Injectable()
export class FailedAuthLimit implements OnModuleInit {
  private readonly perMinute: number;
  private readonly suspects = new SuspectAddresses();

  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(EDGE_ENV) env: Pick<EdgeEnv, 'AISBF_AUTH_FAILURES_PER_MINUTE'>,
    private readonly client: BusClient,
    private readonly server: BusServer,
  ) {
    this.perMinute = env.AISBF_AUTH_FAILURES_PER_MINUTE;
  }

  async onModuleInit(): Promise<void> {
    if (this.perMinute <= 0) return;
    // Listen first, then list: a failure in between is heard of either way.
    this.server.onEvent(SUBJECTS.authFailed, authFailedSchema, ({ address }) => this.suspects.heard(address), { broadcast: true });
    const keys = await this.limiter.keysInUse(KEY_PREFIX, this.suspects.max);
    this.suspects.learned(keys && keys.map((key) => key.slice(KEY_PREFIX.length)));
  }

  private rate() {
    return { limit: this.perMinute, periodMs: MINUTE_MS };
  }

  async assertAllowed(ip: string): Promise<void> {
    if (this.perMinute <= 0 || !this.suspects.isSuspect(ip)) return;
    const decision = await this.limiter.check(`${KEY_PREFIX}${ip}`, this.rate());
    if (!decision.allowed) {
      throw new AisbfError('rate_limit_exceeded', 'too many failed authentications from this address', {
        retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000)),
      });
    }
  }

  async recordFailure(ip: string): Promise<void> {
    if (this.perMinute <= 0) return;
    if (this.suspects.failed(ip)) {
      try {
        this.client.publish(SUBJECTS.authFailed, { address: ip });
      } catch {
        // The bus is away: the other replicas learn of this address at its next failure there.
      }
    }
    await this.limiter.take(`${KEY_PREFIX}${ip}`, this.rate());
  }
}
