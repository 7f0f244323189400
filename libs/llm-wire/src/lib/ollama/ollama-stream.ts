import { randomUUID } from 'node:crypto';
import { ChunkFactory, OpenAiChatCompletionChunk, OpenAiUsage } from '../chat-completion/openai-chat-completion';
import { StreamTranslator, UpstreamReportedError } from '../chat-completion/stream-translator';
import { ollamaFinishReason, OllamaChatResponse, ollamaToolCalls, ollamaUsage } from './ollama-response';

/**
 * Ollama's NDJSON stream (one JSON object per line, the last one with `done: true`, counts and
 * `done_reason`) as OpenAI chunks.
 */
export class OllamaStreamTranslator implements StreamTranslator {
  complete = false;
  finishReason: string | null = null;
  usage: OpenAiUsage | null = null;
  private readonly chunks: ChunkFactory;
  private started = false;
  private toolCalls = 0;

  constructor(
    model: string,
    private readonly includeUsage: boolean,
  ) {
    this.chunks = new ChunkFactory(`chatcmpl-${randomUUID()}`, model);
  }

  push(data: string): OpenAiChatCompletionChunk[] {
    const line = JSON.parse(data) as OllamaChatResponse;
    if (line.error) throw new UpstreamReportedError(line.error);
    if (line.model) this.chunks.model = line.model;
    const out: OpenAiChatCompletionChunk[] = [];
    if (!this.started) {
      this.started = true;
      out.push(this.chunks.role());
    }
    if (line.message?.content) out.push(this.chunks.content(line.message.content));
    for (const call of ollamaToolCalls(line)) {
      out.push(this.chunks.toolCallStart(this.toolCalls++, call.id, call.function.name, call.function.arguments));
    }
    if (line.done) {
      this.complete = true;
      this.usage = ollamaUsage(line);
      this.finishReason = ollamaFinishReason(line.done_reason, this.toolCalls > 0);
      out.push(this.chunks.finish(this.finishReason));
    }
    return out;
  }

  finish(): OpenAiChatCompletionChunk[] {
    return this.includeUsage && this.usage ? [this.chunks.usage(this.usage)] : [];
  }
}
