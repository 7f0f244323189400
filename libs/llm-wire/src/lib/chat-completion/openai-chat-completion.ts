import { randomUUID } from 'node:crypto';

/*
 * OpenAI Chat Completions response shapes, as AISBF hands them to clients whatever the backend's
 * own wire: whole completions and streamed chunks.
 */

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiChoice {
  index: number;
  message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: OpenAiToolCall[] };
  finish_reason: string;
  logprobs: null;
}

export interface OpenAiChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: OpenAiChoice[];
  usage?: OpenAiUsage;
}

export interface OpenAiChunkToolCall {
  index: number;
  id?: string;
  type?: 'function';
  function: { name?: string; arguments: string };
}

export interface OpenAiChunkDelta {
  role?: 'assistant';
  content?: string;
  tool_calls?: OpenAiChunkToolCall[];
}

export interface OpenAiChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{ index: number; delta: OpenAiChunkDelta; finish_reason: string | null; logprobs: null }>;
  usage?: OpenAiUsage;
}

export function usageOf(promptTokens: number, completionTokens: number): OpenAiUsage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** An id for a tool call the backend gave none (OpenAI clients echo it back in the tool message). */
export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** One choice of a completion: text (null when the turn is only tool calls) and tool calls. */
export function assistantChoice(index: number, text: string, toolCalls: OpenAiToolCall[], finishReason: string): OpenAiChoice {
  return {
    index,
    message: {
      role: 'assistant',
      content: text || (toolCalls.length ? null : ''),
      refusal: null,
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    },
    finish_reason: finishReason,
    logprobs: null,
  };
}

export function chatCompletion(id: string, model: string, choices: OpenAiChoice[], usage: OpenAiUsage | null): OpenAiChatCompletion {
  return { id, object: 'chat.completion', created: nowSeconds(), model, choices, ...(usage ? { usage } : {}) };
}

/** Builds the chunks of one streamed completion; id, model and created stay the same on every chunk. */
export class ChunkFactory {
  constructor(
    public id: string,
    public model: string,
    readonly created: number = nowSeconds(),
  ) {}

  delta(delta: OpenAiChunkDelta, choice = 0, finishReason: string | null = null): OpenAiChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: choice, delta, finish_reason: finishReason, logprobs: null }],
    };
  }

  role(choice = 0): OpenAiChatCompletionChunk {
    return this.delta({ role: 'assistant', content: '' }, choice);
  }

  content(text: string, choice = 0): OpenAiChatCompletionChunk {
    return this.delta({ content: text }, choice);
  }

  toolCallStart(index: number, id: string, name: string, args = '', choice = 0): OpenAiChatCompletionChunk {
    return this.delta({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: args } }] }, choice);
  }

  toolCallArguments(index: number, args: string, choice = 0): OpenAiChatCompletionChunk {
    return this.delta({ tool_calls: [{ index, function: { arguments: args } }] }, choice);
  }

  finish(reason: string, choice = 0): OpenAiChatCompletionChunk {
    return this.delta({}, choice, reason);
  }

  /** The usage-only chunk OpenAI sends last when `stream_options.include_usage` is set. */
  usage(usage: OpenAiUsage): OpenAiChatCompletionChunk {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices: [], usage };
  }
}
