import { LRUCache } from 'lru-cache';

/** The failed-authentication budget's period: a failure older than this can no longer block. */
const BUDGET_PERIOD_MS = 60_000;
/** A replica announces an address's failures again after this long, so the others keep it in mind. */
export const ANNOUNCE_AGAIN_MS = 20_000;
/** Long enough to cover a failure heard of up to ANNOUNCE_AGAIN_MS after the announcement. */
const SUSPECT_MS = BUDGET_PERIOD_MS + ANNOUNCE_AGAIN_MS;
const MAX_ADDRESSES = 100_000;

interface Suspect {
  heardAt: number;
  announcedAt: number | null;
}

/**
 * Client addresses that failed to authenticate in the last minute, on this replica or (as
 * announced on the bus) on another. Only such an address can have spent its budget, so only its
 * requests ask the shared limiter; a client that never failed costs no Redis round trip.
 *
 * Why nothing blocked is missed: an address's every failure is announced, or falls within
 * ANNOUNCE_AGAIN_MS after an announcement, and every replica keeps an announced address for
 * SUSPECT_MS, so at least 60 s past its last failure anywhere. A replica that just started learns
 * the addresses that failed before it from the shared limiter (`learned`). Until then, or when it
 * could not hold every failing address and forgot some, every address is suspect until those it
 * may not know of could no longer be blocked.
 */
export class SuspectAddresses {
  private readonly suspects: LRUCache<string, Suspect>;
  private startingUntil: number;
  private overflowUntil = 0;

  constructor(
    private readonly now: () => number = Date.now,
    readonly max = MAX_ADDRESSES,
  ) {
    this.startingUntil = now() + SUSPECT_MS;
    this.suspects = new LRUCache<string, Suspect>({
      max,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.overflowUntil = this.now() + SUSPECT_MS;
      },
    });
  }

  isSuspect(address: string): boolean {
    const now = this.now();
    if (now < this.startingUntil || now < this.overflowUntil) return true;
    const suspect = this.suspects.peek(address);
    return suspect !== undefined && now - suspect.heardAt < SUSPECT_MS;
  }

  /** At start-up: the addresses whose budget is not full, or null when they could not be listed. */
  learned(addresses: string[] | null): void {
    if (addresses === null) return;
    for (const address of addresses) this.heard(address);
    this.startingUntil = 0;
  }

  /** Another replica announced a failure of this address. */
  heard(address: string): void {
    const suspect = this.suspects.get(address);
    const now = this.now();
    if (suspect) suspect.heardAt = now;
    else this.suspects.set(address, { heardAt: now, announcedAt: null });
  }

  /** This replica saw the address fail: true when the other replicas must be told. */
  failed(address: string): boolean {
    const now = this.now();
    const suspect = this.suspects.get(address) ?? { heardAt: now, announcedAt: null };
    suspect.heardAt = now;
    const announce = suspect.announcedAt === null || now - suspect.announcedAt >= ANNOUNCE_AGAIN_MS;
    if (announce) suspect.announcedAt = now;
    this.suspects.set(address, suspect);
    return announce;
  }
}
