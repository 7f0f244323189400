import { Injectable } from '@nestjs/common';
import { AisbfError } from '@aisbf/contracts';

/** How long a cancel is remembered for a request that has not arrived yet. */
const CANCEL_MEMORY_MS = 60_000;
const MAX_REMEMBERED_CANCELS = 10_000;
/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Upstream calls in flight in this process, by request id, so that a client's disconnect
 * (aisbf.request.cancel.{requestId}) aborts the upstream request at once. A cancel that arrives
 * before its request (the bus does not order different subjects) is remembered for a while.
 */
@Injectable()
export class InflightCalls {
  private readonly inflight = new Map<string, AbortController>();
  private readonly cancelled = new Map<string, number>();

  /**
   * Registers a call. Its signal aborts on cancel, after the provider's total timeout, or at the
   * caller's deadline, whichever comes first. Call `done` when it ends.
   */
  start(requestId: string, totalMs: number, deadline: number | undefined): { signal: AbortSignal; done: () => void } {
    if (this.cancelled.delete(requestId)) {
      throw new AisbfError('internal_error', 'request cancelled by the client');
    }
    // One controller and one timer: AbortSignal.any over AbortSignal.timeout cost 3 % of a
    // stream's CPU here, and the timer is cleared as soon as the call ends.
    const controller = new AbortController();
    this.inflight.set(requestId, controller);
    const budget = Math.min(totalMs, (deadline ?? Number.POSITIVE_INFINITY) - Date.now());
    const timer = setTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), Math.min(MAX_TIMER_MS, Math.max(1, budget)));
    timer.unref();
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(timer);
        if (this.inflight.get(requestId) === controller) this.inflight.delete(requestId);
      },
    };
  }

  cancel(requestId: string): void {
    const controller = this.inflight.get(requestId);
    if (controller) {
      controller.abort(new Error('cancelled by the client'));
      return;
    }
    this.remember(requestId);
  }

  size(): number {
    return this.inflight.size;
  }

  private remember(requestId: string): void {
    const now = Date.now();
    for (const [id, at] of this.cancelled) {
      if (now - at < CANCEL_MEMORY_MS && this.cancelled.size < MAX_REMEMBERED_CANCELS) break;
      this.cancelled.delete(id);
    }
    this.cancelled.set(requestId, now);
  }
}
