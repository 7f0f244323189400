import type { ClassifyMessage, SelectionCandidate, SelectionResult } from '@aisbf/contracts';
import { canonical, textTerms } from './text-terms';
import { featureTerms, taskFeatures } from './task-features';

const K1 = 1.2;
const B = 0.75;
/** Below this a match is noise: the policy's fallback is the better answer. */
const MIN_SCORE = 0.3;

export interface CandidateScore {
  modelId: string;
  score: number;
}

interface CandidateDocument {
  modelId: string;
  terms: Map<string, number>;
  length: number;
}

function candidateDocument(candidate: SelectionCandidate): CandidateDocument {
  const words = [
    ...textTerms(candidate.description),
    // `deepseek-coder-v2`, `gpt-4.1-mini`: model names say something too.
    ...candidate.modelId
      .split(/[/:._-]+/)
      .filter((w) => /^[a-z]{3,}$/i.test(w) && !/^user$|^provider$|^rotation$/i.test(w))
      .map((w) => canonical(w.toLowerCase())),
    ...candidate.capabilities.map((c) => canonical(c.toLowerCase())),
  ];
  const terms = new Map<string, number>();
  for (const word of words) terms.set(word, (terms.get(word) ?? 0) + 1);
  return { modelId: candidate.modelId, terms, length: Math.max(1, words.length) };
}

/** Weighted query terms: the latest user message counts most, earlier turns less, plus the task's shape. */
function queryTerms(messages: readonly ClassifyMessage[], isPrivate: boolean): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => weights.set(term, (weights.get(term) ?? 0) + weight);
  let lastUser = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user') {
      lastUser = i;
      break;
    }
  }
  const counts = new Map<string, number>();
  messages.forEach((message, index) => {
    if (message.role === 'assistant' || message.role === 'tool') return;
    const weight = index === lastUser ? 1 : message.role === 'system' ? 0.3 : 0.5;
    // The request, not its material: fenced code is left out (its keywords say nothing of the task,
    // the task's shape covers it), and of a long message only the head, where requests are stated.
    const request = message.content.slice(0, 4000).replace(/```[\s\S]*?(?:```|$)/g, ' ').slice(0, 2000);
    for (const term of textTerms(request)) counts.set(term, (counts.get(term) ?? 0) + weight);
  });
  // Saturate: a word said ten times is not ten times the evidence.
  for (const [term, count] of counts) add(term, Math.min(2, count > 0 ? 1 + Math.log(count) : 0));
  for (const [term, weight] of featureTerms(taskFeatures(messages), isPrivate)) add(term, weight);
  return weights;
}

/** BM25 of each candidate's description against the task, over the candidate set. */
export function scoreCandidates(candidates: readonly SelectionCandidate[], messages: readonly ClassifyMessage[], isPrivate: boolean): CandidateScore[] {
  const documents = candidates.map(candidateDocument);
  const averageLength = documents.reduce((sum, d) => sum + d.length, 0) / Math.max(1, documents.length);
  const query = queryTerms(messages, isPrivate);
  const n = documents.length;
  return documents.map((document) => {
    let score = 0;
    for (const [term, weight] of query) {
      const tf = document.terms.get(term);
      if (!tf) continue;
      const df = documents.filter((d) => d.terms.has(term)).length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += weight * idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * document.length) / averageLength)));
    }
    return { modelId: document.modelId, score };
  });
}

/**
 * The local selector: no network, a few hundred microseconds. Ties go to the lower `priority`,
 * then to the policy's order; a task that matches no description goes to the fallback.
 */
export function selectLocally(
  candidates: readonly SelectionCandidate[],
  messages: readonly ClassifyMessage[],
  isPrivate: boolean,
  fallback: string,
): SelectionResult {
  if (candidates.length === 1) {
    return { modelId: candidates[0].modelId, method: 'single', confidence: 1, reason: `${candidates[0].modelId} is the only allowed candidate` };
  }
  const scores = scoreCandidates(candidates, messages, isPrivate);
  const ranked = scores
    .map((s, index) => ({ ...s, index, priority: candidates[index].priority ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => b.score - a.score || a.priority - b.priority || a.index - b.index);
  const [best, second] = ranked;
  const summary = ranked.map((r) => `${r.modelId}=${r.score.toFixed(2)}`).join(', ');
  if (best.score < MIN_SCORE) {
    const fallbackAllowed = candidates.some((c) => c.modelId === fallback);
    return {
      modelId: fallbackAllowed ? fallback : best.modelId,
      method: fallbackAllowed ? 'fallback' : 'priority',
      confidence: 0,
      reason: `no description matched the task (${summary})`,
    };
  }
  const confidence = Math.max(0, Math.min(1, (best.score - (second?.score ?? 0)) / best.score));
  return { modelId: best.modelId, method: 'local', confidence, reason: `local scorer: ${summary}` };
}
