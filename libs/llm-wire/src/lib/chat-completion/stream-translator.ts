import type { OpenAiChatCompletionChunk, OpenAiUsage } from './openai-chat-completion';

/**
 * Turns a backend's stream, one decoded event (SSE data or NDJSON line) at a time, into OpenAI
 * chunks. A string output is an already serialised chunk, passed on byte for byte.
 */
export interface StreamTranslator {
  push(data: string): Array<OpenAiChatCompletionChunk | string>;
  /** What to send after the backend's stream ended normally (the usage chunk when asked for). */
  finish(): Array<OpenAiChatCompletionChunk | string>;
  /** The backend said its answer is complete (a terminal event), so an ending stream is not a cut one. */
  readonly complete: boolean;
  readonly finishReason: string | null;
  readonly usage: OpenAiUsage | null;
  /** The model the backend says answered, for translators that read it from the backend's events. */
  readonly responseModel?: string | null;
}

/** An error the backend reported inside a successful response (an error event mid-stream). */
export class UpstreamReportedError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'UpstreamReportedError';
  }
}
