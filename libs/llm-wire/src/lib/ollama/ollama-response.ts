import { randomUUID } from 'node:crypto';
import {
  assistantChoice,
  chatCompletion,
  newToolCallId,
  OpenAiChatCompletion,
  OpenAiToolCall,
  OpenAiUsage,
  usageOf,
} from '../chat-completion/openai-chat-completion';

export interface OllamaChatResponse {
  model?: string;
  message?: {
    role?: string;
    content?: string;
    tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: unknown } }>;
  };
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

export function ollamaFinishReason(doneReason: string | undefined, hasToolCalls: boolean): string {
  if (doneReason === 'length') return 'length';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

export function ollamaUsage(response: OllamaChatResponse): OpenAiUsage | null {
  if (response.prompt_eval_count === undefined && response.eval_count === undefined) return null;
  return usageOf(response.prompt_eval_count ?? 0, response.eval_count ?? 0);
}

/** Ollama's tool calls carry arguments as an object and (in older versions) no id. */
export function ollamaToolCalls(response: OllamaChatResponse): OpenAiToolCall[] {
  return (response.message?.tool_calls ?? []).map((call) => ({
    id: call.id ?? newToolCallId(),
    type: 'function',
    function: {
      name: call.function?.name ?? '',
      arguments: typeof call.function?.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function?.arguments ?? {}),
    },
  }));
}

/** A non-streamed `/api/chat` response as an OpenAI chat completion. */
export function fromOllamaResponse(response: OllamaChatResponse, fallbackModel: string): OpenAiChatCompletion {
  const toolCalls = ollamaToolCalls(response);
  const text = response.message?.content ?? '';
  return chatCompletion(
    `chatcmpl-${randomUUID()}`,
    response.model ?? fallbackModel,
    [assistantChoice(0, text, toolCalls, ollamaFinishReason(response.done_reason, toolCalls.length > 0))],
    ollamaUsage(response),
  );
}

/** Model names from Ollama's `GET /api/tags`. */
export function ollamaModelNames(json: unknown): string[] {
  const list = json as { models?: Array<{ name?: unknown; model?: unknown }> } | null;
  if (!list || !Array.isArray(list.models)) throw new Error('not a model list');
  return list.models
    .map((m) => (typeof m.name === 'string' ? m.name : m.model))
    .filter((name): name is string => typeof name === 'string');
}
