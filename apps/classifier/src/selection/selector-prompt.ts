import type { ClassifyMessage, SelectionCandidate } from '@aisbf/contracts';
import { taskFeatures } from './task-features';

const TASK_CHARS = 1500;
const EARLIER_CHARS = 400;

export interface SelectorAnswer {
  modelId: string;
  confidence: number;
}

/** A short chat for the selection model: the candidates, the recent task, and a strict answer format. */
export function selectorMessages(candidates: readonly SelectionCandidate[], messages: readonly ClassifyMessage[]): Array<{ role: string; content: string }> {
  const users = messages.filter((m) => m.role === 'user');
  const latest = users.at(-1)?.content ?? messages.at(-1)?.content ?? '';
  const earlier = users.length > 1 ? users.at(-2)!.content : '';
  const features = taskFeatures(messages);
  const list = candidates.map((c, i) => `${i + 1}. model_id: ${c.modelId}\n   description: ${c.description || '(none)'}`).join('\n');
  const task = [
    earlier ? `Earlier request (truncated):\n${earlier.slice(0, EARLIER_CHARS)}\n` : '',
    `Latest request (truncated):\n${latest.slice(0, TASK_CHARS)}`,
    `\nConversation: ${features.messages} messages, about ${features.tokens} tokens, ${features.code ? 'contains code' : 'no code'}.`,
  ].join('\n');
  return [
    {
      role: 'system',
      content:
        'You choose which AI model should handle a request. Pick the model whose description best fits the task. ' +
        'Answer with one JSON object and nothing else: {"model_id": "<one of the model_id values>", "confidence": <0 to 1>}.',
    },
    { role: 'user', content: `Models:\n${list}\n\n${task}\n\nAnswer with the JSON object only.` },
  ];
}

/** The selection model's answer, strictly: one JSON object naming one of the candidates; anything else is null. */
export function parseSelectorAnswer(text: string, candidates: readonly SelectionCandidate[]): SelectorAnswer | null {
  const unfenced = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start < 0 || end <= start || unfenced.length > 2000) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfenced.slice(start, end + 1));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { model_id: modelId, confidence } = parsed as { model_id?: unknown; confidence?: unknown };
  if (typeof modelId !== 'string' || !candidates.some((c) => c.modelId === modelId)) return null;
  const stated = typeof confidence === 'number' && confidence >= 0 && confidence <= 1 ? confidence : 0.5;
  return { modelId, confidence: stated };
}
