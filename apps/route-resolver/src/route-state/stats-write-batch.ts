import { addCounters, StatsCounters, StatsMarks } from '@aisbf/routing';

/** One candidate's statistics for one time bucket, summed over the outcomes of a batch. */
export interface StatsWrite {
  bucketKey: string;
  marksKey: string;
  counters: StatsCounters;
  marks: Partial<StatsMarks>;
}

/**
 * Outcome statistics are sums, so the outcomes heard within `delayMs` are added up in memory and
 * written as one increment per candidate and bucket: one Redis round trip per batch instead of
 * one per request. Each caller's promise settles with the write that carried its outcome, so a
 * failed write is still seen (and handled) by every caller in it.
 */
export class StatsWriteBatch {
  private pending = new Map<string, StatsWrite>();
  /** Settles the callers of the pending batch. */
  private settle: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly write: (writes: StatsWrite[]) => Promise<void>,
  ) {}

  add(bucketKey: string, marksKey: string, counters: StatsCounters, marks: Partial<StatsMarks>): Promise<void> {
    const entry = this.pending.get(bucketKey);
    if (entry) {
      entry.counters = addCounters(entry.counters, counters);
      // Later outcomes carry later marks: the last one wins, as it would written one by one.
      Object.assign(entry.marks, marks);
    } else this.pending.set(bucketKey, { bucketKey, marksKey, counters, marks: { ...marks } });
    if (!this.settle) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.settle = { promise, resolve, reject };
      // The callers hear a failed write through their promise; the timer's own copy is dropped.
      this.timer = setTimeout(() => void this.flush().catch(() => undefined), this.delayMs);
      this.timer.unref();
    }
    return this.settle.promise;
  }

  /** Writes what is pending now, if anything (before statistics are read, and at shutdown). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const settle = this.settle;
    const writes = [...this.pending.values()];
    this.pending = new Map();
    this.settle = null;
    if (!settle) return;
    try {
      await this.write(writes);
      settle.resolve();
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  }
}
