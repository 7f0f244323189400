import type { ChatCompletionRequest } from '../chat-request/chat-request.schema';
import { conversationTurns } from '../chat-request/conversation-turns';
import {
  contentParts,
  maxOutputTokens,
  numericExtension,
  parseDataUrl,
  rejectUnsupported,
  requireSingleChoice,
  stopSequences,
} from '../chat-request/openai-message-parts';

/** Anthropic's API version header value AISBF speaks. */
export const ANTHROPIC_VERSION = '2023-06-01';
/** Anthropic requires max_tokens; used when the client set none (every Claude model accepts it). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'document'; source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

const WIRE = 'Anthropic';

function userBlocks(content: unknown, index: number): AnthropicBlock[] {
  return contentParts(content).flatMap((part, partIndex): AnthropicBlock[] => {
    const param = `messages[${index}].content[${partIndex}]`;
    switch (part.type) {
      case 'text':
        return part.text ? [{ type: 'text', text: part.text }] : [];
      case 'image_url': {
        const data = parseDataUrl(part.image_url.url);
        return [
          data
            ? { type: 'image', source: { type: 'base64', media_type: data.mediaType, data: data.base64 } }
            : { type: 'image', source: { type: 'url', url: part.image_url.url } },
        ];
      }
      case 'file': {
        const data = part.file.file_data ? parseDataUrl(part.file.file_data) : null;
        if (!data) return rejectUnsupported(WIRE, 'files other than inline data: URLs', param);
        return [{ type: 'document', source: { type: 'base64', media_type: data.mediaType, data: data.base64 } }];
      }
      case 'input_audio':
        return rejectUnsupported(WIRE, 'audio input', param);
      default:
        return [];
    }
  });
}

function toolChoice(body: ChatCompletionRequest): Record<string, unknown> | undefined {
  const choice = body.tool_choice;
  let out: Record<string, unknown> | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'required') out = { type: 'any' };
  else if (choice === 'none') out = { type: 'none' };
  else if (choice) out = { type: 'tool', name: choice.function.name };
  if (body.parallel_tool_calls === false && out?.type !== 'none') out = { type: 'auto', ...out, disable_parallel_tool_use: true };
  return out;
}

/**
 * An OpenAI Chat Completions body as an Anthropic Messages body: system and developer messages
 * become `system`, tool calls become `tool_use` blocks and tool messages `tool_result` blocks in
 * the next user turn, consecutive turns of one role are merged (Anthropic alternates roles).
 */
export function toAnthropicRequest(body: ChatCompletionRequest): Record<string, unknown> {
  requireSingleChoice(body, WIRE);
  const { system, turns } = conversationTurns<AnthropicBlock>(body, WIRE, {
    text: (text) => ({ type: 'text', text }),
    userContent: userBlocks,
    toolCall: ({ id, name, args }) => ({ type: 'tool_use', id, name, input: args }),
    toolResult: ({ toolCallId, text }) => ({ type: 'tool_result', tool_use_id: toolCallId, content: text }),
  });
  const messages: AnthropicMessage[] = turns.map((turn) => ({ role: turn.role, content: turn.items }));

  const out: Record<string, unknown> = {
    model: body.model,
    max_tokens: maxOutputTokens(body) ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system) out.system = system;
  // Anthropic's temperature range is 0..1 where OpenAI's is 0..2.
  if (body.temperature != null) out.temperature = Math.min(1, body.temperature);
  if (body.top_p != null) out.top_p = body.top_p;
  const topK = numericExtension(body, 'top_k');
  if (topK !== undefined) out.top_k = topK;
  const stop = stopSequences(body);
  if (stop?.length) out.stop_sequences = stop;
  if (body.stream) out.stream = true;
  if (body.user) out.metadata = { user_id: body.user };
  if (body.tools?.length) {
    out.tools = body.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
    }));
  }
  const choice = toolChoice(body);
  if (choice && body.tools?.length) out.tool_choice = choice;
  // Extended thinking is Anthropic's own parameter; a client may send it as a vendor extension.
  const thinking = (body as Record<string, unknown>).thinking;
  if (thinking && typeof thinking === 'object') out.thinking = thinking;
  return out;
}
