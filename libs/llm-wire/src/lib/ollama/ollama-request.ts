import type { ChatCompletionRequest } from '../chat-request/chat-request.schema';
import {
  contentParts,
  contentText,
  maxOutputTokens,
  numericExtension,
  parseDataUrl,
  parseToolArguments,
  rejectUnsupported,
  requireSingleChoice,
  stopSequences,
  toolNamesById,
} from '../chat-request/openai-message-parts';

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>;
  tool_name?: string;
}

const WIRE = 'Ollama';
/** Ollama-native top-level parameters a client may send as vendor extensions. */
const PASSED_EXTENSIONS = ['keep_alive', 'think'] as const;

function userMessage(content: unknown, index: number): OllamaMessage {
  let text = '';
  const images: string[] = [];
  contentParts(content).forEach((part, partIndex) => {
    const param = `messages[${index}].content[${partIndex}]`;
    if (part.type === 'text') text += part.text;
    else if (part.type === 'image_url') {
      const data = parseDataUrl(part.image_url.url);
      // Ollama takes images as base64 only; fetching URLs on the client's behalf is not AISBF's job.
      if (!data) rejectUnsupported(WIRE, 'image URLs (send images as data: URLs)', param);
      images.push(data.base64);
    } else if (part.type === 'input_audio' || part.type === 'file') rejectUnsupported(WIRE, `${part.type} content`, param);
  });
  return { role: 'user', content: text, ...(images.length ? { images } : {}) };
}

function options(body: ChatCompletionRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.top_p = body.top_p;
  const topK = numericExtension(body, 'top_k');
  if (topK !== undefined) out.top_k = topK;
  const max = maxOutputTokens(body);
  if (max !== undefined) out.num_predict = max;
  const stop = stopSequences(body);
  if (stop?.length) out.stop = stop;
  if (body.seed != null) out.seed = body.seed;
  if (body.presence_penalty != null) out.presence_penalty = body.presence_penalty;
  if (body.frequency_penalty != null) out.frequency_penalty = body.frequency_penalty;
  const extra = (body as Record<string, unknown>).options;
  return extra && typeof extra === 'object' ? { ...out, ...(extra as object) } : out;
}

/**
 * An OpenAI Chat Completions body as an Ollama `/api/chat` body: images become base64 `images`,
 * tool-call arguments objects, tool messages carry the function name, sampling parameters go in
 * `options`. `stream` is always explicit because Ollama streams by default.
 */
export function toOllamaRequest(body: ChatCompletionRequest): Record<string, unknown> {
  requireSingleChoice(body, WIRE);
  const names = toolNamesById(body.messages);
  const messages: OllamaMessage[] = body.messages.map((message, index): OllamaMessage => {
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: contentText(message.content) };
      case 'user':
        return userMessage(message.content, index);
      case 'assistant': {
        const calls = (message.tool_calls ?? []).map((call, callIndex) => ({
          function: {
            name: call.function.name,
            arguments: parseToolArguments(call.function.arguments, `messages[${index}].tool_calls[${callIndex}].function.arguments`),
          },
        }));
        return { role: 'assistant', content: contentText(message.content), ...(calls.length ? { tool_calls: calls } : {}) };
      }
      case 'tool': {
        const name = names.get(message.tool_call_id);
        return { role: 'tool', content: contentText(message.content), ...(name ? { tool_name: name } : {}) };
      }
      case 'function':
        return { role: 'tool', content: message.content ?? '', tool_name: message.name };
    }
  });

  const out: Record<string, unknown> = { model: body.model, messages, stream: body.stream === true };
  // tool_choice has no Ollama equivalent; "none" is honoured by not offering the tools.
  if (body.tools?.length && body.tool_choice !== 'none') out.tools = body.tools;
  const format = body.response_format;
  if (format?.type === 'json_object') out.format = 'json';
  if (format?.type === 'json_schema') out.format = format.json_schema.schema ?? 'json';
  const opts = options(body);
  if (Object.keys(opts).length) out.options = opts;
  for (const key of PASSED_EXTENSIONS) {
    const value = (body as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
