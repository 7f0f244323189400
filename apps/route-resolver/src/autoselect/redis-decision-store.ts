import { Redis } from 'ioredis';
import type { DecisionStore, StoredDecision } from './decision-store';

/** Redis operations are an optimisation here: past this, a miss is cheaper than a wait. */
const COMMAND_TIMEOUT_MS = 250;

/**
 * Decisions shared by every resolver replica, under `{prefix}autoselect:decision:{key}` with a TTL.
 * Redis being away costs a re-classification, never a failed request.
 */
export class RedisDecisionStore implements DecisionStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {
    this.redis = new Redis(url, { commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', (error: Error) => this.onError(error));
  }

  private decisionKey(key: string): string {
    return `${this.prefix}autoselect:decision:${key}`;
  }

  private claimKey(key: string): string {
    return `${this.prefix}autoselect:claim:${key}`;
  }

  sharedStateReady(): boolean {
    return this.redis.status === 'ready';
  }

  async getMany(keys: readonly string[]): Promise<Array<StoredDecision | null>> {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mget(...keys.map((key) => this.decisionKey(key)));
      return values.map((value) => (value ? (JSON.parse(value) as StoredDecision) : null));
    } catch (error) {
      this.onError(error as Error);
      return keys.map(() => null);
    }
  }

  async set(key: string, decision: StoredDecision, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(this.decisionKey(key), JSON.stringify(decision), 'EX', ttlSeconds);
    } catch (error) {
      this.onError(error as Error);
    }
  }

  async claim(key: string, ms: number): Promise<boolean> {
    try {
      return (await this.redis.set(this.claimKey(key), '1', 'PX', ms, 'NX')) === 'OK';
    } catch (error) {
      this.onError(error as Error);
      return true;
    }
  }

  async release(key: string): Promise<void> {
    try {
      await this.redis.del(this.claimKey(key));
    } catch (error) {
      this.onError(error as Error);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
