import { getHeapStatistics } from 'node:v8';

/**
 * Bounds the request bytes the edge holds at once. A body costs several times its size while it
 * is parsed, checked and sent on (raw text, parsed objects, the bus message), so a burst of large
 * bodies would otherwise exhaust the heap and take every request of the process down with it.
 * One request is always admitted, however large (up to the body limit), so a small budget
 * never blocks everything.
 */
export class BodyMemoryBudget {
  private held = 0;
  private requests = 0;

  constructor(readonly limitBytes: number) {}

  get heldBytes(): number {
    return this.held;
  }

  /** Reserves `bytes`; false when they do not fit beside the bodies held now. */
  tryReserve(bytes: number): boolean {
    if (this.requests > 0 && this.held + bytes > this.limitBytes) return false;
    this.held += bytes;
    this.requests++;
    return true;
  }

  release(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    this.requests = Math.max(0, this.requests - 1);
  }
}

/** Default budget: a body costs about 4 times its size while held, so an eighth of the heap keeps half free. */
export function defaultBodyBudgetBytes(maxBodyBytes: number, heapLimitBytes = getHeapStatistics().heap_size_limit): number {
  return Math.max(maxBodyBytes, Math.floor(heapLimitBytes / 8));
}
