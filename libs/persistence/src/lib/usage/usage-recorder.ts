import type { RouteOutcome } from '@aisbf/contracts';
import { DatabaseHandle } from '../database/database-handle';
import { UsageEventEntity } from '../database/entities/usage-event.entity';

export interface UsageRecorderOptions {
  flushIntervalMs: number;
  /** Rows per INSERT. */
  maxBatch?: number;
  /** Most rows held while the database is away; the oldest are dropped past it. */
  maxBuffered?: number;
  onError?: (error: unknown, dropped: number) => void;
}

/** Usage events (one per attempt) collected from `aisbf.route.outcome` and written in batches, off the request path. */
export class UsageRecorder {
  private buffer: Array<Omit<UsageEventEntity, 'id'>> = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: DatabaseHandle,
    private readonly options: UsageRecorderOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  record(outcome: RouteOutcome): void {
    this.buffer.push({
      createdAt: new Date(),
      username: outcome.username.slice(0, 63),
      requestId: outcome.requestId.slice(0, 64),
      route: outcome.routeId.slice(0, 300),
      providerId: outcome.providerId.slice(0, 128),
      model: outcome.model.slice(0, 256),
      attempt: outcome.attempt,
      ok: outcome.ok,
      status: outcome.status,
      code: outcome.code?.slice(0, 64) ?? null,
      promptTokens: outcome.promptTokens,
      completionTokens: outcome.completionTokens,
      latencyMs: Math.round(outcome.latencyMs),
      ttftMs: outcome.ttftMs === null ? null : Math.round(outcome.ttftMs),
    });
    const max = this.options.maxBuffered ?? 50_000;
    if (this.buffer.length > max) this.buffer.splice(0, this.buffer.length - max);
    if (this.buffer.length >= (this.options.maxBatch ?? 500)) void this.flush();
  }

  /** Writes what is buffered; on failure the rows stay for the next attempt. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const batchSize = this.options.maxBatch ?? 500;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, batchSize);
      try {
        await this.db.exclusive(() => this.db.dataSource.createQueryBuilder().insert().into(UsageEventEntity).values(batch).execute());
      } catch (error) {
        this.buffer.unshift(...batch);
        this.options.onError?.(error, 0);
        return;
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
