import { z } from 'zod';
import { privacySignalSchema, SELECTION_METHODS } from '../classify/classify.schema';

/** The explainable outcome of an autoselect policy, carried in the plan and shown in headers. */
export const autoselectDecisionSchema = z.object({
  policy: z.string(),
  /** Privacy classification ran (the policy asks for it). */
  classified: z.boolean(),
  private: z.boolean(),
  signals: z.array(privacySignalSchema),
  /** The model id the policy chose. */
  selected: z.string(),
  method: z.enum(SELECTION_METHODS),
  confidence: z.number().min(0).max(1),
  /** Where the decision came from: computed now, this conversation's cache, an earlier turn, or a concurrent twin. */
  cache: z.enum(['miss', 'hit', 'prefix', 'coalesced']),
  /** Set when the classifier could not be reached: the request was then held private. */
  degraded: z.string().optional(),
});
export type AutoselectDecision = z.infer<typeof autoselectDecisionSchema>;

/** `x-aisbf-classification`: `private; signals=aws_access_key,email`, `non-private` or `unclassified`. */
export function classificationHeader(decision: AutoselectDecision): string {
  if (!decision.classified && !decision.degraded) return 'unclassified';
  if (!decision.private) return 'non-private';
  const detectors = [...new Set(decision.signals.map((s) => s.detector))];
  const parts = ['private'];
  if (detectors.length > 0) parts.push(`signals=${detectors.join(',')}`);
  if (decision.degraded) parts.push(`degraded=${decision.degraded}`);
  return parts.join('; ');
}

/** `x-aisbf-selected`: `user-rotation/coding-production; method=local; confidence=0.82`. */
export function selectedHeader(decision: AutoselectDecision): string {
  return `${decision.selected}; method=${decision.method}; confidence=${decision.confidence.toFixed(2)}; cache=${decision.cache}`;
}
