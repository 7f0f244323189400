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
  private readonly users = new Map<string, Set<string>>();
  /** Bumped by every drop: a resolve started before it must not store its answer. */
  private generation = 0;

  constructor(options: { max?: number; now?: () => number } = {}) {
    this.plans = new LRUCache<string, RoutePlan>({
      max: options.max ?? MAX_PLANS,
      ttlAutopurge: false,
      // The clock is read on every get: no timer caching it.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
      dispose: (_plan, key) => this.forget(key),
    });
  }

  /** Everything of a question a plan may depend on, the user first (see `forget`). */
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

  keep(key: string, username: string, plan: RoutePlan, generation: number): void {
    if (!plan.reusableMs || generation !== this.generation) return;
    this.plans.set(key, plan, { ttl: plan.reusableMs });
    let keys = this.users.get(username);
    if (!keys) this.users.set(username, (keys = new Set()));
    keys.add(key);
  }

  /** `aisbf.config.changed`: a token change leaves routes as they were. */
  drop(change: ConfigChanged): void {
    if (change.kind === 'tokens' && change.username !== null) return;
    this.generation++;
    if (change.username === null || change.kind === 'all') {
      this.plans.clear();
      return;
    }
    for (const key of this.users.get(change.username) ?? []) this.plans.delete(key);
  }

  get size(): number {
    return this.plans.size;
  }

  private forget(key: string): void {
    const username = key.slice(0, key.indexOf('\n'));
    const keys = this.users.get(username);
    if (!keys) return;
    keys.delete(key);
    if (keys.size === 0) this.users.delete(username);
  }
}
