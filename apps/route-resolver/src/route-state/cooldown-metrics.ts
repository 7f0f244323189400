import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { CircuitState } from '@aisbf/routing';
import { AisbfMetrics } from '@aisbf/telemetry';
import type { CandidateRef } from './route-state-store';

/**
 * aisbf_cooldowns_open and aisbf_cooldowns_started_total from the outcomes this replica applies.
 * Each outcome reaches one replica (queue group), so the sum over replicas counts each cooldown
 * once, without scanning the shared store at every scrape.
 */
@Injectable()
export class CooldownMetrics implements OnModuleDestroy {
  private readonly open = new Map<string, { provider: string; openUntil: number }>();
  private readonly stopRefresh: () => void;

  constructor(private readonly metrics: AisbfMetrics) {
    this.stopRefresh = metrics.onRender(() => this.refresh(Date.now()));
  }

  /** The candidate's breaker after an outcome: `opened` when this outcome started its cooldown. */
  observe(ref: CandidateRef, state: CircuitState | null, now: number): void {
    const key = `${ref.username}\u0000${ref.providerId}\u0000${ref.model}`;
    if (state && state.openUntil > now) {
      if (state.openedAt === now) this.metrics.m.cooldownsStarted.inc({ provider: ref.providerId });
      this.open.set(key, { provider: ref.providerId, openUntil: state.openUntil });
    } else {
      this.open.delete(key);
    }
  }

  refresh(now: number): void {
    const byProvider = new Map<string, number>();
    for (const [key, entry] of this.open) {
      if (entry.openUntil <= now) this.open.delete(key);
      else byProvider.set(entry.provider, (byProvider.get(entry.provider) ?? 0) + 1);
    }
    const gauge = this.metrics.m.cooldownsOpen;
    gauge.reset();
    for (const [provider, count] of byProvider) gauge.set({ provider }, count);
  }

  onModuleDestroy(): void {
    this.stopRefresh();
  }
}
