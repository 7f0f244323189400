import { randomUUID } from 'node:crypto';
import { ChunkFactory, OpenAiChatCompletionChunk, OpenAiUsage } from '../chat-completion/openai-chat-completion';
import { StreamTranslator, UpstreamReportedError } from '../chat-completion/stream-translator';
import { geminiFinishReason, geminiToolCall, GeminiResponse, geminiUsage } from './gemini-response';

interface CandidateState {
  started: boolean;
  toolCalls: number;
  finished: boolean;
}

/**
 * `streamGenerateContent?alt=sse` events as OpenAI chunks. Each event is a whole
 * GenerateContentResponse holding the next piece of every candidate; Gemini sends no end marker,
 * so the stream is complete once every candidate has a finish reason.
 */
export class GeminiStreamTranslator implements StreamTranslator {
  finishReason: string | null = null;
  usage: OpenAiUsage | null = null;
  private readonly chunks: ChunkFactory;
  private readonly states = new Map<number, CandidateState>();

  constructor(
    model: string,
    private readonly includeUsage: boolean,
  ) {
    this.chunks = new ChunkFactory(`chatcmpl-${randomUUID()}`, model);
  }

  get complete(): boolean {
    return this.states.size > 0 && [...this.states.values()].every((state) => state.finished);
  }

  push(data: string): OpenAiChatCompletionChunk[] {
    const response = JSON.parse(data) as GeminiResponse;
    if (response.error) throw new UpstreamReportedError(`${response.error.status ?? response.error.code ?? 'error'}: ${response.error.message ?? ''}`);
    if (response.responseId) this.chunks.id = response.responseId;
    if (response.modelVersion) this.chunks.model = response.modelVersion;
    if (response.usageMetadata) this.usage = geminiUsage(response.usageMetadata);
    const out: OpenAiChatCompletionChunk[] = [];
    const candidates = response.candidates ?? [];
    if (candidates.length === 0 && response.promptFeedback?.blockReason) {
      this.states.set(0, { started: true, toolCalls: 0, finished: true });
      this.finishReason = 'content_filter';
      return [this.chunks.role(), this.chunks.finish('content_filter')];
    }
    candidates.forEach((candidate, position) => {
      const choice = candidate.index ?? position;
      let state = this.states.get(choice);
      if (!state) {
        state = { started: false, toolCalls: 0, finished: false };
        this.states.set(choice, state);
      }
      if (!state.started) {
        state.started = true;
        out.push(this.chunks.role(choice));
      }
      for (const part of candidate.content?.parts ?? []) {
        if (part.thought) continue;
        if (part.text) out.push(this.chunks.content(part.text, choice));
        if (part.functionCall) {
          const call = geminiToolCall(part.functionCall);
          out.push(this.chunks.toolCallStart(state.toolCalls++, call.id, call.function.name, call.function.arguments, choice));
        }
      }
      if (candidate.finishReason && !state.finished) {
        state.finished = true;
        const reason = geminiFinishReason(candidate.finishReason, state.toolCalls > 0);
        if (choice === 0 || this.finishReason === null) this.finishReason = reason;
        out.push(this.chunks.finish(reason, choice));
      }
    });
    return out;
  }

  finish(): OpenAiChatCompletionChunk[] {
    return this.includeUsage && this.usage ? [this.chunks.usage(this.usage)] : [];
  }
}
