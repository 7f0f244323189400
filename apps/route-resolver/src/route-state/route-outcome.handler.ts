import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { RouteOutcome, routeOutcomeEventSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer } from '@aisbf/bus';
import { CooldownPolicy, nextCircuitState } from '@aisbf/routing';
import { COOLDOWN_POLICY, ROUTE_STATE_STORE, RouteStateStore } from './route-state-store';
import { CooldownMetrics } from './cooldown-metrics';

/**
 * Attempt outcomes feed the cooldowns and statistics. The resolver consumes them because it owns
 * that state and reads it for every plan; the queue group hands each outcome to one replica, and
 * the state it writes is shared through the store.
 */
@Injectable()
export class RouteOutcomeHandler implements OnModuleInit {
  private readonly logger = new Logger('route-outcome');

  constructor(
    private readonly bus: BusServer,
    @Inject(ROUTE_STATE_STORE) private readonly store: RouteStateStore,
    @Inject(COOLDOWN_POLICY) private readonly policy: CooldownPolicy,
    private readonly cooldowns: CooldownMetrics,
  ) {}

  onModuleInit(): void {
    this.bus.onEvent(SUBJECTS.routeOutcome, routeOutcomeEventSchema, (outcomes) => this.recordAll(outcomes));
  }

  /** One candidate's outcomes in order (its circuit is a chain of transitions), candidates side by side. */
  async recordAll(outcomes: RouteOutcome[]): Promise<void> {
    const byCandidate = new Map<string, RouteOutcome[]>();
    for (const outcome of outcomes) {
      const key = JSON.stringify([outcome.username, outcome.providerId, outcome.model]);
      const list = byCandidate.get(key);
      if (list) list.push(outcome);
      else byCandidate.set(key, [outcome]);
    }
    await Promise.all(
      [...byCandidate.values()].map(async (list) => {
        for (const outcome of list) await this.record(outcome);
      }),
    );
  }

  async record(outcome: RouteOutcome): Promise<void> {
    const now = Date.now();
    const ref = { username: outcome.username, providerId: outcome.providerId, model: outcome.model };
    try {
      const state = await this.store.updateCircuit(ref, (previous) => nextCircuitState(previous, outcome, now, this.policy));
      this.cooldowns.observe(ref, state, now);
      if (!outcome.ok && outcome.retryable && state && state.openedAt === now) {
        this.logger.log(
          `cooling ${outcome.providerId}/${outcome.model} of ${outcome.username} for ${Math.round((state.openUntil - now) / 1000)} s after HTTP ${outcome.status} (${outcome.code ?? 'error'})`,
        );
      }
      await this.store.recordOutcome(
        ref,
        { ok: outcome.ok, retryable: outcome.retryable, status: outcome.status, code: outcome.code, latencyMs: outcome.latencyMs, ttftMs: outcome.ttftMs },
        now,
      );
    } catch (error) {
      this.logger.warn(`outcome of ${outcome.providerId}/${outcome.model} not recorded: ${(error as Error).message}`);
    }
  }
}
