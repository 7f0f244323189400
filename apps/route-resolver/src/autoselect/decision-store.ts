import type { PrivacySignal, SelectionMethod } from '@aisbf/contracts';
import type { SharedState } from '../readiness/shared-state-readiness';

/** A policy's decision for one conversation, as cached: no text, only what was decided and where signals were. */
export interface StoredDecision {
  classified: boolean;
  private: boolean;
  signals: PrivacySignal[];
  selected: string;
  method: SelectionMethod;
  confidence: number;
  /** Messages of the conversation this decision covered. */
  messageCount: number;
  /** Why the policy chose as it did (route ids, scores, selector outcomes; never prompt text). */
  reasons: string[];
  /** Set when the decision was taken without a classifier verdict (never cached). */
  degraded?: string;
}

/** Where decisions are shared: Redis across replicas, or memory in the embedded mode. */
export interface DecisionStore extends SharedState {
  /** Decisions stored under these keys, in the same order (null where none). */
  getMany(keys: readonly string[]): Promise<Array<StoredDecision | null>>;
  set(key: string, decision: StoredDecision, ttlSeconds: number): Promise<void>;
  /** Claims the right to compute a key for `ms` milliseconds; false when another replica holds it. */
  claim(key: string, ms: number): Promise<boolean>;
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

export const DECISION_STORE = Symbol('DECISION_STORE');
