import Redis from 'ioredis';
import {
  candidateKey,
  CandidateStatsSummary,
  circuitRetentionMs,
  CircuitState,
  CircuitTransition,
  CooldownPolicy,
  STATS_BUCKET_MS,
  STATS_WINDOW_BUCKETS,
  StatsCounters,
  statsIncrement,
  StatsMarks,
  statsMarksUpdate,
  StatsSample,
  statsWindowBuckets,
  statsBucketStart,
  summarizeStats,
} from '@aisbf/routing';
import { CandidateRef, RouteStateStore } from './route-state-store';
import { StatsWrite, StatsWriteBatch } from './stats-write-batch';

/**
 * Replaces a key's value only if it is still the one that was read (compare-and-set), and drops
 * the candidate's probe claim with it: the breaker's rules stay in TypeScript (libs/routing),
 * Redis only guarantees that two replicas never apply them over each other.
 */
const CAS_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
redis.call('DEL', KEYS[2])
return 1
`;
/** Contention is rare (two replicas hearing outcomes of one candidate at once); a short random pause spreads retries. */
const CAS_ATTEMPTS = 50;
const CAS_BACKOFF_MS = 5;
/** Request counters of rotations nobody calls any more disappear after a week. */
const SEQUENCE_TTL_MS = 7 * 24 * 3_600_000;
const MARKS_TTL_MS = 24 * 3_600_000;

type CasRedis = Redis & {
  aisbfCircuitCas(circuitKey: string, probeKey: string, expected: string, next: string, ttlMs: number): Promise<number>;
};

const part = (value: string) => encodeURIComponent(value);

function parseCircuit(raw: string | null): CircuitState | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as CircuitState;
    return typeof value.openUntil === 'number' && typeof value.level === 'number' ? value : null;
  } catch {
    return null;
  }
}

function parseCounters(hash: Record<string, string>): StatsCounters {
  const number = (field: string) => Number(hash[field] ?? 0) || 0;
  return {
    ok: number('ok'),
    failed: number('failed'),
    other: number('other'),
    latencyMs: number('latencyMs'),
    ttftMs: number('ttftMs'),
    ttftCount: number('ttftCount'),
  };
}

function parseMarks(hash: Record<string, string>): StatsMarks {
  const number = (field: string) => (hash[field] !== undefined && hash[field] !== '' ? Number(hash[field]) : null);
  return {
    lastSuccessAt: number('lastSuccessAt'),
    lastFailureAt: number('lastFailureAt'),
    lastFailureStatus: number('lastFailureStatus'),
    lastFailureCode: hash.lastFailureCode || null,
  };
}

/** Routing state in Redis, under one key prefix: what every resolver replica reads and writes. */
export class RedisRouteStateStore implements RouteStateStore {
  private readonly redis: CasRedis;
  private readonly stats: StatsWriteBatch;

  /** `statsFlushMs`: how long outcome statistics are summed in memory before one write (0: without waiting). */
  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly policy: CooldownPolicy,
    statsFlushMs = 0,
  ) {
    redis.defineCommand('aisbfCircuitCas', { numberOfKeys: 2, lua: CAS_SCRIPT });
    this.redis = redis as CasRedis;
    this.stats = new StatsWriteBatch(statsFlushMs, (writes) => this.writeStats(writes));
  }

  describe(): string {
    return 'redis';
  }

  /** Commands are only sent on a working connection; the caller falls back otherwise. */
  isReady(): boolean {
    return this.redis.status === 'ready';
  }

  sharedStateReady(): boolean {
    return this.isReady();
  }

  private candidateKey(kind: string, username: string, providerId: string, model: string): string {
    return `${this.prefix}${kind}:${part(username)}:${part(providerId)}:${part(model)}`;
  }

  private sequenceKey(username: string, rotation: string): string {
    return `${this.prefix}seq:${part(username)}:${part(rotation)}`;
  }

  async readCircuits(username: string, candidates: ReadonlyArray<{ providerId: string; model: string }>): Promise<Map<string, CircuitState>> {
    const result = new Map<string, CircuitState>();
    if (candidates.length === 0) return result;
    const values = await this.redis.mget(...candidates.map((c) => this.candidateKey('circuit', username, c.providerId, c.model)));
    candidates.forEach((candidate, index) => {
      const state = parseCircuit(values[index]);
      if (state) result.set(candidateKey(candidate.providerId, candidate.model), state);
    });
    return result;
  }

  async updateCircuit(ref: CandidateRef, transition: (previous: CircuitState | null) => CircuitTransition): Promise<CircuitState | null> {
    const key = this.candidateKey('circuit', ref.username, ref.providerId, ref.model);
    const probeKey = this.candidateKey('probe', ref.username, ref.providerId, ref.model);
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const raw = await this.redis.get(key);
      const previous = parseCircuit(raw);
      const { state, changed } = transition(previous);
      if (!changed) return previous;
      const ttl = state ? Math.ceil(circuitRetentionMs(state, Date.now(), this.policy)) : 0;
      const next = state ? JSON.stringify(state) : '';
      if ((await this.redis.aisbfCircuitCas(key, probeKey, raw ?? '', next, ttl)) === 1) return state;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CAS_BACKOFF_MS));
    }
    throw new Error(`circuit of ${ref.providerId}/${ref.model} changed ${CAS_ATTEMPTS} times while being updated`);
  }

  async claimProbe(ref: CandidateRef, ttlMs: number): Promise<boolean> {
    const claimed = await this.redis.set(this.candidateKey('probe', ref.username, ref.providerId, ref.model), '1', 'PX', ttlMs, 'NX');
    return claimed === 'OK';
  }

  async probeHeld(ref: CandidateRef): Promise<boolean> {
    return (await this.redis.exists(this.candidateKey('probe', ref.username, ref.providerId, ref.model))) === 1;
  }

  async nextSequence(username: string, rotation: string): Promise<number> {
    const key = this.sequenceKey(username, rotation);
    const replies = await this.redis.multi().incr(key).pexpire(key, SEQUENCE_TTL_MS).exec();
    const [error, value] = replies?.[0] ?? [new Error('transaction aborted'), null];
    if (error) throw error;
    return Number(value);
  }

  async peekSequence(username: string, rotation: string): Promise<number> {
    return Number((await this.redis.get(this.sequenceKey(username, rotation))) ?? 0) + 1;
  }

  recordOutcome(ref: CandidateRef, sample: StatsSample, now: number): Promise<void> {
    const bucket = `${this.candidateKey('stats', ref.username, ref.providerId, ref.model)}:${statsBucketStart(now)}`;
    const marks = this.candidateKey('marks', ref.username, ref.providerId, ref.model);
    return this.stats.add(bucket, marks, statsIncrement(sample), statsMarksUpdate(sample, now));
  }

  private async writeStats(writes: StatsWrite[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const write of writes) {
      for (const [field, value] of Object.entries(write.counters)) {
        if (value === 0) continue;
        if (Number.isInteger(value)) pipeline.hincrby(write.bucketKey, field, value);
        else pipeline.hincrbyfloat(write.bucketKey, field, value);
      }
      pipeline.pexpire(write.bucketKey, (STATS_WINDOW_BUCKETS + 1) * STATS_BUCKET_MS);
      if (Object.keys(write.marks).length > 0) {
        pipeline.hset(write.marksKey, Object.fromEntries(Object.entries(write.marks).map(([field, value]) => [field, value === null ? '' : String(value)])));
        pipeline.pexpire(write.marksKey, MARKS_TTL_MS);
      }
    }
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async readStats(
    username: string,
    candidates: ReadonlyArray<{ providerId: string; model: string }>,
    now: number,
  ): Promise<Map<string, CandidateStatsSummary>> {
    // What this replica heard is written first, so it reads its own outcomes.
    await this.stats.flush();
    const window = statsWindowBuckets(now);
    const pipeline = this.redis.pipeline();
    for (const c of candidates) {
      const base = this.candidateKey('stats', username, c.providerId, c.model);
      for (const start of window) pipeline.hgetall(`${base}:${start}`);
      pipeline.hgetall(this.candidateKey('marks', username, c.providerId, c.model));
    }
    const replies = (await pipeline.exec()) ?? [];
    const result = new Map<string, CandidateStatsSummary>();
    candidates.forEach((c, index) => {
      const offset = index * (window.length + 1);
      const hashes = replies.slice(offset, offset + window.length + 1).map(([error, value]) => {
        if (error) throw error;
        return (value ?? {}) as Record<string, string>;
      });
      const marks = parseMarks(hashes.pop()!);
      result.set(candidateKey(c.providerId, c.model), summarizeStats(hashes.map(parseCounters), marks));
    });
    return result;
  }

  async close(): Promise<void> {
    await this.stats.flush().catch(() => undefined);
    this.redis.disconnect();
  }
}
