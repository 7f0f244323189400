import { randomUUID } from 'node:crypto';
import {
  assistantChoice,
  chatCompletion,
  newToolCallId,
  OpenAiChatCompletion,
  OpenAiChoice,
  OpenAiToolCall,
  OpenAiUsage,
  usageOf,
} from '../chat-completion/openai-chat-completion';

export interface GeminiResponsePart {
  text?: string;
  thought?: boolean;
  functionCall?: { id?: string; name?: string; args?: unknown };
}

export interface GeminiCandidate {
  index?: number;
  content?: { role?: string; parts?: GeminiResponsePart[] };
  finishReason?: string;
}

export interface GeminiUsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  totalTokenCount?: number;
}

export interface GeminiResponse {
  candidates?: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
  promptFeedback?: { blockReason?: string };
  error?: { code?: number; message?: string; status?: string };
}

/** Gemini finish reasons as OpenAI's; a turn that ends on function calls finishes with `tool_calls`. */
export function geminiFinishReason(reason: string | undefined, hasToolCalls: boolean): string {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

/** Thinking tokens are billed as output, so they count as completion tokens. */
export function geminiUsage(meta: GeminiUsageMetadata | undefined): OpenAiUsage | null {
  if (!meta) return null;
  return usageOf(meta.promptTokenCount ?? 0, (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0));
}

/** A functionCall part as an OpenAI tool call (Gemini ids are optional; one is made up when absent). */
export function geminiToolCall(call: NonNullable<GeminiResponsePart['functionCall']>): OpenAiToolCall {
  return {
    id: call.id ?? newToolCallId(),
    type: 'function',
    function: { name: call.name ?? '', arguments: JSON.stringify(call.args ?? {}) },
  };
}

/** A Gemini `generateContent` response as an OpenAI chat completion, one choice per candidate. */
export function fromGeminiResponse(response: GeminiResponse, fallbackModel: string): OpenAiChatCompletion {
  const candidates = response.candidates ?? [];
  const choices: OpenAiChoice[] = candidates.map((candidate, position) => {
    let text = '';
    const toolCalls: OpenAiToolCall[] = [];
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought) continue;
      if (typeof part.text === 'string') text += part.text;
      if (part.functionCall) toolCalls.push(geminiToolCall(part.functionCall));
    }
    return assistantChoice(candidate.index ?? position, text, toolCalls, geminiFinishReason(candidate.finishReason, toolCalls.length > 0));
  });
  if (choices.length === 0) {
    // The prompt itself was blocked: Gemini answers with no candidate at all.
    choices.push(assistantChoice(0, '', [], 'content_filter'));
  }
  return chatCompletion(
    response.responseId ?? `chatcmpl-${randomUUID()}`,
    response.modelVersion ?? fallbackModel,
    choices,
    geminiUsage(response.usageMetadata),
  );
}

/** Model ids from Gemini's `GET /models` page (without the `models/` prefix), with the next page token. */
export function geminiModelPage(json: unknown): { ids: string[]; nextPageToken: string | null } {
  const page = json as { models?: Array<{ name?: unknown }>; nextPageToken?: string } | null;
  if (!page || !Array.isArray(page.models)) throw new Error('not a model list');
  const ids = page.models
    .map((m) => m.name)
    .filter((name): name is string => typeof name === 'string')
    .map((name) => name.replace(/^models\//, ''));
  return { ids, nextPageToken: page.nextPageToken || null };
}
