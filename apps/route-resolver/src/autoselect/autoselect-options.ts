import type { DecisionStore } from './decision-store';

export interface AutoselectOptions {
  store: DecisionStore;
  /** How long a decision is reused for the same conversation. */
  cacheTtlSeconds: number;
  /** Whole budget of a language-model selector; past it the policy's fallback is used. */
  selectorTimeoutMs: number;
  /** Longest wait for the classifier itself (privacy scan and local scorer), on top of the selector budget. */
  classifyTimeoutMs: number;
}

export const AUTOSELECT_OPTIONS = Symbol('AUTOSELECT_OPTIONS');
