import { randomUUID } from 'node:crypto';
import {
  assistantChoice,
  chatCompletion,
  OpenAiChatCompletion,
  OpenAiToolCall,
  OpenAiUsage,
  usageOf,
} from '../chat-completion/openai-chat-completion';

export interface AnthropicUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

export interface AnthropicResponseMessage {
  id?: string;
  model?: string;
  content?: Array<{ type: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

/** Anthropic stop reasons as OpenAI finish reasons. */
export function anthropicFinishReason(stopReason: string | null | undefined): string {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Prompt tokens include the cached ones Anthropic counts apart. */
export function anthropicUsage(usage: AnthropicUsage | undefined): OpenAiUsage | null {
  if (!usage) return null;
  const prompt = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
  return usageOf(prompt, usage.output_tokens ?? 0);
}

/** An Anthropic Messages response as an OpenAI chat completion. */
export function fromAnthropicMessage(message: AnthropicResponseMessage, fallbackModel: string): OpenAiChatCompletion {
  let text = '';
  const toolCalls: OpenAiToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text') text += block.text ?? '';
    if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? `toolu_${randomUUID()}`,
        type: 'function',
        function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return chatCompletion(
    message.id ?? `msg_${randomUUID()}`,
    message.model ?? fallbackModel,
    [assistantChoice(0, text, toolCalls, anthropicFinishReason(message.stop_reason))],
    anthropicUsage(message.usage),
  );
}

/** Model ids from Anthropic's `GET /v1/models` page, with the id to ask for the next page. */
export function anthropicModelPage(json: unknown): { ids: string[]; nextAfter: string | null } {
  const page = json as { data?: Array<{ id?: unknown }>; has_more?: boolean; last_id?: string | null } | null;
  if (!page || !Array.isArray(page.data)) throw new Error('not a model list');
  const ids = page.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  return { ids, nextAfter: page.has_more && page.last_id ? page.last_id : null };
}
