import { AisbfError } from '@aisbf/contracts';
import type { ChatCompletionRequest, ChatMessage } from './chat-request.schema';

/*
 * Reading an OpenAI request the way every translation to another wire needs it: text of a
 * content, images as bytes, tool calls with parsed arguments, parameters by their meaning.
 */

export type ContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: string } }
  | { type: 'input_audio'; input_audio: { data: string; format: string } }
  | { type: 'file'; file: { file_data?: string; filename?: string; file_id?: string } }
  | { type: 'refusal'; refusal: string };

/** The parts of a message content, a plain string being one text part. */
export function contentParts(content: unknown): ContentPart[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (Array.isArray(content)) return content as ContentPart[];
  return [];
}

/** All text of a content (system prompts, tool results, assistant text). */
export function contentText(content: unknown): string {
  return contentParts(content)
    .map((part) => (part.type === 'text' ? part.text : part.type === 'refusal' ? part.refusal : ''))
    .join('');
}

export interface DataUrl {
  mediaType: string;
  base64: string;
}

/** `data:image/png;base64,...` split into media type and base64 payload; null for any other URL. */
export function parseDataUrl(url: string): DataUrl | null {
  const match = /^data:([\w.+-]+\/[\w.+-]+)((?:;[\w-]+=[^;,]*)*);base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1].toLowerCase(), base64: match[3] } : null;
}

/** A media type guessed from a URL's file extension, for wires that need one with a link. */
export function mediaTypeFromUrl(url: string, fallback = 'image/jpeg'): string {
  const ext = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
  };
  return (ext && known[ext]) || fallback;
}

/** A tool call's `arguments` string as the object other wires want. */
export function parseToolArguments(args: string, param: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new AisbfError('invalid_request', `'${param}' is not valid JSON`, { param });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AisbfError('invalid_request', `'${param}' must be a JSON object`, { param });
  }
  return parsed as Record<string, unknown>;
}

/** Tool-call id -> function name, for wires whose tool results name the function instead of the call. */
export function toolNamesById(messages: ChatMessage[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  }
  return names;
}

export function stopSequences(body: ChatCompletionRequest): string[] | undefined {
  if (body.stop == null) return undefined;
  return typeof body.stop === 'string' ? [body.stop] : body.stop;
}

export function maxOutputTokens(body: ChatCompletionRequest): number | undefined {
  return body.max_completion_tokens ?? body.max_tokens ?? undefined;
}

/** A number-valued vendor extension (e.g. `top_k`) kept by the passthrough schema. */
export function numericExtension(body: ChatCompletionRequest, key: string): number | undefined {
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function rejectUnsupported(wire: string, what: string, param: string): never {
  throw new AisbfError('invalid_request', `${wire} backends do not accept ${what}`, { param });
}

/** A wire with one answer per request refuses `n` > 1 rather than silently answering once. */
export function requireSingleChoice(body: ChatCompletionRequest, wire: string): void {
  if (body.n != null && body.n > 1) rejectUnsupported(wire, 'n > 1 (several choices per request)', 'n');
}
