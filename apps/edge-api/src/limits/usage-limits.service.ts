import { Inject, Injectable } from '@nestjs/common';
import { AisbfError } from '@aisbf/contracts';
import type { ConcurrencyLease, ConcurrencyLimiter, RateLimiter } from '@aisbf/cache';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { EDGE_ENV, type EdgeEnv } from '../config/edge-env';
import { RATE_LIMITER } from '../auth/request-rate-limits';

export const CONCURRENCY_LIMITER = Symbol('CONCURRENCY_LIMITER');

const MINUTE_MS = 60_000;

interface Budget {
  key: string;
  limit: number;
  what: string;
}

function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A user's limits, shared by every edge replica through Redis: requests and LLM tokens per minute
 * (per user and per API token) and open streams per user. A limit the user's configuration leaves
 * out falls back to the installation's default (requests only); 0 or none means unlimited.
 */
@Injectable()
export class UsageLimits {
  constructor(
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    @Inject(CONCURRENCY_LIMITER) private readonly streams: ConcurrencyLimiter,
    @Inject(EDGE_ENV) private readonly env: Pick<EdgeEnv, 'AISBF_RATE_LIMIT_USER_RPM' | 'AISBF_RATE_LIMIT_TOKEN_RPM'>,
  ) {}

  /** Before any bus call: token budgets already spent refuse, then one request is counted. */
  async admit(user: AuthenticatedUser): Promise<void> {
    for (const budget of this.tokenBudgets(user)) {
      const decision = await this.limiter.check(budget.key, { limit: budget.limit, periodMs: MINUTE_MS });
      if (!decision.allowed) {
        throw new AisbfError('rate_limit_exceeded', `token budget reached for this ${budget.what}: ${budget.limit} tokens per minute`, {
          retryAfterSeconds: retryAfterSeconds(decision.retryAfterMs),
        });
      }
    }
    for (const budget of this.requestBudgets(user)) {
      const decision = await this.limiter.take(budget.key, { limit: budget.limit, periodMs: MINUTE_MS });
      if (!decision.allowed) {
        throw new AisbfError('rate_limit_exceeded', `rate limit reached for this ${budget.what}: ${budget.limit} requests per minute`, {
          retryAfterSeconds: retryAfterSeconds(decision.retryAfterMs),
        });
      }
    }
  }

  /** After an answer: its prompt and completion tokens, which are known only then. */
  async debitTokens(user: AuthenticatedUser, tokens: number): Promise<void> {
    if (!(tokens > 0)) return;
    for (const budget of this.tokenBudgets(user)) {
      await this.limiter.debit(budget.key, { limit: budget.limit, periodMs: MINUTE_MS }, tokens);
    }
  }

  /** A slot for one streaming response, held until it ends; null when the user has no limit. */
  async openStream(user: AuthenticatedUser): Promise<ConcurrencyLease | null> {
    const limit = user.limits?.max_concurrent_streams;
    if (!limit) return null;
    const lease = await this.streams.acquire(`streams:${user.username}`, limit);
    if (!lease) {
      throw new AisbfError('rate_limit_exceeded', `too many streams open for this user: at most ${limit} at a time`, {
        retryAfterSeconds: 1,
      });
    }
    return lease;
  }

  private requestBudgets(user: AuthenticatedUser): Budget[] {
    const budgets: Budget[] = [];
    const perToken = user.limits?.per_token?.requests_per_minute ?? this.env.AISBF_RATE_LIMIT_TOKEN_RPM;
    if (perToken > 0 && user.tokenKey) budgets.push({ key: `req:token:${user.tokenKey}`, limit: perToken, what: 'API token' });
    const perUser = user.limits?.requests_per_minute ?? this.env.AISBF_RATE_LIMIT_USER_RPM;
    if (perUser > 0) budgets.push({ key: `req:user:${user.username}`, limit: perUser, what: 'user' });
    return budgets;
  }

  private tokenBudgets(user: AuthenticatedUser): Budget[] {
    const budgets: Budget[] = [];
    const perToken = user.limits?.per_token?.tokens_per_minute;
    if (perToken && user.tokenKey) budgets.push({ key: `tpm:token:${user.tokenKey}`, limit: perToken, what: 'API token' });
    const perUser = user.limits?.tokens_per_minute;
    if (perUser) budgets.push({ key: `tpm:user:${user.username}`, limit: perUser, what: 'user' });
    return budgets;
  }
}
