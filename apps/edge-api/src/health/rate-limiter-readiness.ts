import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { RateLimiter, RedisSharedCache } from '@aisbf/cache';
import { ReadinessRegistry } from '@aisbf/telemetry';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { RATE_LIMITER } from '../auth/request-rate-limits';

/**
 * Reports in /readyz (and aisbf_dependency_up) whether the request limits are shared by the edge
 * replicas right now. The limiter falls back to per-replica limiting without saying so, and has
 * no status of its own to read; so this watches a connection to the very Redis (same URL, same key
 * prefix) it limits on, which reconnects as the limiter's does. Not fatal: requests are still
 * limited, per replica, while Redis is away.
 */
@Injectable()
export class RateLimiterReadiness implements OnModuleInit, OnApplicationShutdown {
  private probe: RedisSharedCache | null = null;
  private unregister: (() => void) | null = null;

  constructor(
    @Inject(EDGE_ENV) private readonly env: EdgeEnv,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    if (this.limiter.name !== 'redis' || !this.env.REDIS_URL) return;
    const probe = new RedisSharedCache({ url: this.env.REDIS_URL, keyPrefix: this.env.AISBF_REDIS_PREFIX });
    this.probe = probe;
    // Start-up does not wait for Redis: until it answers, the check reports it failing.
    void probe.connect();
    this.unregister = this.readiness.register('rate_limiter', () => probe.isReady(), { critical: false });
  }

  async onApplicationShutdown(): Promise<void> {
    this.unregister?.();
    await this.probe?.close();
  }
}
