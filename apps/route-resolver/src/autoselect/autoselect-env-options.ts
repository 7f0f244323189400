import type { AutoselectEnv } from '../config/resolver-env';
import type { RouteStateEnv } from '../config/route-state-env';
import type { AutoselectOptions } from './autoselect-options';
import type { DecisionStore } from './decision-store';
import { MemoryDecisionStore } from './memory-decision-store';
import { RedisDecisionStore } from './redis-decision-store';

/** Redis when REDIS_URL is set (shared by replicas), memory otherwise (one process). */
export function autoselectOptionsFromEnv(
  env: AutoselectEnv & Pick<RouteStateEnv, 'REDIS_URL' | 'AISBF_REDIS_PREFIX'>,
  onStoreError: (error: Error) => void,
): AutoselectOptions {
  const store: DecisionStore = env.REDIS_URL ? new RedisDecisionStore(env.REDIS_URL, env.AISBF_REDIS_PREFIX, onStoreError) : new MemoryDecisionStore();
  return {
    store,
    cacheTtlSeconds: env.AISBF_AUTOSELECT_CACHE_TTL_SECONDS,
    selectorTimeoutMs: env.AISBF_AUTOSELECT_SELECTOR_TIMEOUT_MS,
    classifyTimeoutMs: env.AISBF_CLASSIFY_TIMEOUT_MS,
  };
}
