import type { OpenAiChatCompletionChunk, OpenAiUsage } from './openai-chat-completion';
import { StreamTranslator, UpstreamReportedError } from './stream-translator';

interface PassedChunk {
  model?: unknown;
  choices?: Array<{ finish_reason?: string | null }>;
  usage?: OpenAiUsage | null;
  error?: { message?: unknown } | string;
}

/**
 * OpenAI-compatible streams need no translation: chunks are passed on unchanged, while the finish
 * reason and usage are read on the way. The usage-only chunk AISBF asked for on the client's
 * behalf is kept from a client that did not ask for it.
 */
export class OpenAiStreamPassthrough implements StreamTranslator {
  complete = false;
  finishReason: string | null = null;
  usage: OpenAiUsage | null = null;
  responseModel: string | null = null;

  constructor(private readonly clientWantsUsage: boolean) {}

  push(data: string): Array<OpenAiChatCompletionChunk | string> {
    if (data === '[DONE]') {
      this.complete = true;
      return [];
    }
    const chunk = JSON.parse(data) as PassedChunk;
    if (chunk.error) {
      throw new UpstreamReportedError(String(typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'error')));
    }
    if (chunk.usage) this.usage = chunk.usage;
    if (typeof chunk.model === 'string') this.responseModel = chunk.model;
    const reason = chunk.choices?.[0]?.finish_reason;
    if (reason) this.finishReason = reason;
    if (!this.clientWantsUsage && chunk.usage && (chunk.choices?.length ?? 0) === 0) return [];
    return [data];
  }

  finish(): Array<OpenAiChatCompletionChunk | string> {
    // Some servers end without [DONE]; a finish reason is as good a sign of completeness.
    if (!this.complete && this.finishReason !== null) this.complete = true;
    return [];
  }
}
