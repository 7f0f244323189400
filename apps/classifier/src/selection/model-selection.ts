import type { ClassifyMessage, ParsedClassifyRequest, SelectionCandidate, SelectionResult, Selector } from '@aisbf/contracts';
import { selectLocally } from './local-scorer';

type SelectionRequest = NonNullable<ParsedClassifyRequest['selection']>;
type LlmSelector = Extract<Selector, { mode: 'llm' }>;

/** Either the choice is made (locally, instantly), or the selection model has to be asked. */
export type SelectionStep = { done: SelectionResult } | { ask: LlmSelector; candidates: SelectionCandidate[] };

/**
 * What can be decided without a network call: a private request considers private candidates
 * only; an earlier turn's choice is kept while it is allowed; one candidate needs no selector; a
 * selection model that is not private never sees a private conversation (the local scorer does).
 */
export function selectionStep(selection: SelectionRequest, messages: readonly ClassifyMessage[], isPrivate: boolean): SelectionStep {
  const allowed = selection.candidates.filter((c) => !isPrivate || c.private);
  if (allowed.length === 0) {
    return { done: { modelId: null, method: 'fallback', confidence: 0, reason: 'no candidate may take this request' } };
  }
  const previous = selection.previous;
  if (previous && allowed.some((c) => c.modelId === previous.modelId)) {
    return {
      done: {
        modelId: previous.modelId,
        method: 'sticky',
        confidence: previous.confidence,
        reason: `kept ${previous.modelId}, chosen (${previous.method}) for an earlier turn of this conversation`,
      },
    };
  }
  if (allowed.length === 1) {
    const only = allowed[0].modelId;
    return { done: { modelId: only, method: 'single', confidence: 1, reason: `${only} is the only ${isPrivate ? 'private ' : ''}candidate` } };
  }
  const selector = selection.selector;
  if (selector.mode === 'llm' && (!isPrivate || selector.private)) return { ask: selector, candidates: allowed };
  const local = selectLocally(allowed, messages, isPrivate, selection.fallback);
  if (selector.mode === 'llm') {
    local.reason = `selection model ${selector.modelId} is not private, so it does not see this conversation; ${local.reason}`;
  }
  return { done: local };
}
