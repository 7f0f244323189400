import { ChunkFactory, OpenAiChatCompletionChunk, OpenAiUsage } from '../chat-completion/openai-chat-completion';
import { StreamTranslator, UpstreamReportedError } from '../chat-completion/stream-translator';
import { anthropicFinishReason, anthropicUsage, AnthropicUsage } from './anthropic-response';

interface AnthropicEvent {
  type: string;
  message?: { id?: string; model?: string; usage?: AnthropicUsage };
  index?: number;
  content_block?: { type: string; text?: string; id?: string; name?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

/**
 * Anthropic's stream events (message_start, content_block_*, message_delta, message_stop, ping,
 * error) as OpenAI chunks. Each tool_use block becomes one OpenAI tool call, its input JSON
 * deltas that call's argument fragments.
 */
export class AnthropicStreamTranslator implements StreamTranslator {
  complete = false;
  finishReason: string | null = null;
  private usageSoFar: AnthropicUsage = {};
  private sawUsage = false;
  private readonly chunks: ChunkFactory;
  private readonly toolIndexByBlock = new Map<number, number>();

  constructor(
    model: string,
    private readonly includeUsage: boolean,
  ) {
    this.chunks = new ChunkFactory('', model);
  }

  get usage(): OpenAiUsage | null {
    return this.sawUsage ? anthropicUsage(this.usageSoFar) : null;
  }

  private mergeUsage(usage: AnthropicUsage | undefined): void {
    if (!usage) return;
    this.sawUsage = true;
    // message_delta carries cumulative counts; a null means "unchanged".
    for (const [key, value] of Object.entries(usage)) {
      if (typeof value === 'number') (this.usageSoFar as Record<string, number>)[key] = value;
    }
  }

  push(data: string): OpenAiChatCompletionChunk[] {
    const event = JSON.parse(data) as AnthropicEvent;
    switch (event.type) {
      case 'message_start':
        this.chunks.id = event.message?.id ?? this.chunks.id;
        this.chunks.model = event.message?.model ?? this.chunks.model;
        this.mergeUsage(event.message?.usage);
        return [this.chunks.role()];
      case 'content_block_start': {
        const block = event.content_block;
        if (block?.type === 'tool_use') {
          const toolIndex = this.toolIndexByBlock.size;
          this.toolIndexByBlock.set(event.index ?? toolIndex, toolIndex);
          return [this.chunks.toolCallStart(toolIndex, block.id ?? '', block.name ?? '')];
        }
        return block?.type === 'text' && block.text ? [this.chunks.content(block.text)] : [];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta?.type === 'text_delta' && delta.text) return [this.chunks.content(delta.text)];
        if (delta?.type === 'input_json_delta' && delta.partial_json) {
          const toolIndex = this.toolIndexByBlock.get(event.index ?? -1);
          return toolIndex === undefined ? [] : [this.chunks.toolCallArguments(toolIndex, delta.partial_json)];
        }
        return [];
      }
      case 'message_delta':
        this.mergeUsage(event.usage);
        if (event.delta?.stop_reason) {
          this.finishReason = anthropicFinishReason(event.delta.stop_reason);
          return [this.chunks.finish(this.finishReason)];
        }
        return [];
      case 'message_stop':
        this.complete = true;
        return [];
      case 'error':
        throw new UpstreamReportedError(`${event.error?.type ?? 'error'}: ${event.error?.message ?? 'no message'}`);
      default:
        // ping, content_block_stop and event types added later carry nothing a client needs.
        return [];
    }
  }

  finish(): OpenAiChatCompletionChunk[] {
    const usage = this.usage;
    return this.includeUsage && usage ? [this.chunks.usage(usage)] : [];
  }
}
