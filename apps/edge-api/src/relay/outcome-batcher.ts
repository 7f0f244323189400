import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { MAX_OUTCOMES_PER_EVENT, RouteOutcome, SUBJECTS } from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { attemptOutcome, AttemptResult } from './attempt-outcome';

/** How long a success waits for others to share its message. */
export const OUTCOME_BATCH_MS = 20;

/**
 * Reports attempt outcomes to the resolver (cooldowns, statistics) and the usage recorder.
 * Successes are gathered for OUTCOME_BATCH_MS and sent as one message: under load this saves a
 * bus message per request. A failure is sent at once, with the successes gathered before it, so
 * a cooldown is never delayed. A failure while this edge cannot reach the bus says nothing about
 * the candidate: it is not reported, or the event, buffered until the reconnect, would cool down a
 * healthy backend just as traffic comes back.
 */
@Injectable()
export class OutcomeBatcher implements BeforeApplicationShutdown {
  private pending: RouteOutcome[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly bus: BusClient) {}

  report(result: AttemptResult): void {
    if (result.error && !this.bus.isConnected()) return;
    this.pending.push(attemptOutcome(result));
    if (result.error || this.pending.length >= MAX_OUTCOMES_PER_EVENT) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), OUTCOME_BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const outcomes = this.pending;
    if (outcomes.length === 0) return;
    this.pending = [];
    try {
      this.bus.publish(SUBJECTS.routeOutcome, outcomes.length === 1 ? outcomes[0] : { outcomes });
    } catch {
      // The bus is closed: statistics of these attempts are lost, the answers were not.
    }
  }

  beforeApplicationShutdown(): void {
    this.flush();
  }
}
