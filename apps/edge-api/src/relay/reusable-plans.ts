import { LRUCache } from 'lru-cache';
import type { ConfigChanged, RoutePlan, RouteResolveRequest } from '@aisbf/contracts';

/** Most plans one edge keeps: one per user, route and hints in use. */
const MAX_PLANS = 10_000;

/** Where a plan came from, for the span, the metrics and the summary line. */
export type PlanSource = 'resolver' | 'reused';

/**
 * Plans the resolver marked reusable (`reusableMs`: they follow from the user's configuration
 * alone), kept so that the next request of the same user, route and hints skips the bus round
 * trip to the resolver. A configuration change drops them at once; a plan asked for before a
 * change but answered after it is not kept.
 */
export class ReusablePlans {
  private readonly plans: LRUCache<string, RoutePlan>;
  /** Bumped by every drop: a resolve started before it must not store its answer. */
  private generation = 0;

  constructor(options: { max?: number; now?: () => number } = {}) {
    this.plans = new LRUCache<string, RoutePlan>({
      max: options.max ?? MAX_PLANS,
      ttlAutopurge: false,
      // The clock is read on every get: no timer caching it.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
  }

  /** Everything of a question a plan may depend on, the user first (see `drop`). */
  static key(question: RouteResolveRequest): string {
    const { hints } = question;
    return `${question.username}\n${question.model}\n${Number(hints.stream)}${Number(hints.tools)}${Number(hints.images)}\n${question.maxCandidates ?? ''}`;
  }

  get(key: string): RoutePlan | undefined {
    return this.plans.get(key);
  }

  /** The generation to hand back to `keep` once the resolver has answered. */
  mark(): number {
    return this.generation;
  }

  keep(key: string, plan: RoutePlan, generation: number): void {
    if (!plan.reusableMs || generation !== this.generation) return;
    this.plans.set(key, plan, { ttl: plan.reusableMs });
  }

  /** `aisbf.config.changed`: a token change leaves routes as they were. */
  drop(change: ConfigChanged): void {
    if (change.kind === 'tokens' && change.username !== null) return;
    this.generation++;
    if (change.username === null || change.kind === 'all') {
      this.plans.clear();
      return;
    }
    // Changes are rare and the plans few: a scan of the keys beats an index to keep in step.
    const prefix = `${change.username}\n`;
    for (const key of [...this.plans.keys()]) if (key.startsWith(prefix)) this.plans.delete(key);
  }

  get size(): number {
    return this.plans.size;
  }
}
