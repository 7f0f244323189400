import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { estimateTokens, MockBehaviour, MockUpstreamServer, RecordedRequest, splitText } from '../mock-upstream/mock-upstream-server';

type Block = { type: string; text?: string; tool_use_id?: string; content?: unknown; source?: unknown };
type Message = { role: string; content: string | Block[] };

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

function blocks(content: Message['content']): Block[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/**
 * An Anthropic Messages API backend (`POST /v1/messages`, `GET /v1/models`), after the shapes of
 * Anthropic's documentation: `x-api-key` and `anthropic-version` headers, `max_tokens` required,
 * no system role inside `messages`, content blocks, SSE events with `event:` names.
 *
 * Replies: a tool_use of the first (or forced) tool when tools are offered and the last user turn
 * holds no tool_result; "Tool said: ..." echoing tool results; else "Mock reply to: <text>".
 */
export class MockAnthropicServer extends MockUpstreamServer {
  models = ['claude-sonnet-4-5', 'claude-haiku-4-5'];

  constructor(name = 'mock-anthropic') {
    super(name);
  }

  get url(): string {
    return `${this.origin}/v1`;
  }

  messageRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/messages');
  }

  protected presentedKey(headers: IncomingHttpHeaders): string | undefined {
    return headers['x-api-key'] as string | undefined;
  }

  protected errorBody(status: number, message: string): unknown {
    return { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
  }

  protected async route(request: RecordedRequest, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.path === '/v1/models') {
      const data = this.models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
      this.sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
      return;
    }
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      this.sendJson(res, 404, this.errorBody(404, `no route ${request.method} ${request.path}`));
      return;
    }
    const problem = this.validate(request);
    if (problem) {
      this.sendJson(res, 400, this.errorBody(400, problem));
      return;
    }
    await this.messages(request.body!, behaviour, res);
  }

  private validate(request: RecordedRequest): string | null {
    const body = request.body;
    if (!request.headers['anthropic-version']) return 'anthropic-version: header is required';
    if (!body) return 'body must be JSON';
    if (typeof body.model !== 'string') return 'model: Field required';
    if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
    const messages = body.messages as Message[] | undefined;
    if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required';
    for (const [index, message] of messages.entries()) {
      if (message.role !== 'user' && message.role !== 'assistant') {
        return `messages.${index}.role: Input should be 'user' or 'assistant'`;
      }
    }
    return null;
  }

  private async messages(body: Record<string, unknown>, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const id = `msg_mock_${++this.sequence}`;
    const model = String(body.model);
    const messages = body.messages as Message[];
    const last = messages.at(-1)!;
    const lastBlocks = blocks(last.content);
    const toolResults = last.role === 'user' ? lastBlocks.filter((b) => b.type === 'tool_result') : [];
    const tools = body.tools as Array<{ name: string }> | undefined;
    const choice = body.tool_choice as { type: string; name?: string } | undefined;
    const toolName = tools?.length && !toolResults.length && choice?.type !== 'none' ? (choice?.type === 'tool' ? choice.name! : tools[0].name) : null;
    const text = toolResults.length
      ? `Tool said: ${toolResults.map((b) => (typeof b.content === 'string' ? b.content : JSON.stringify(b.content))).join(', ')}`
      : (behaviour.content ?? `Mock reply to: ${lastBlocks.map((b) => b.text ?? '').join(' ').trim()}`);
    const usage = { input_tokens: estimateTokens(messages), output_tokens: estimateTokens(text) };
    const toolUse = toolName ? { type: 'tool_use', id: `toolu_mock_${this.sequence}`, name: toolName, input: { city: 'Paris' } } : null;

    if (body.stream !== true) {
      this.sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: toolUse ? [toolUse] : [{ type: 'text', text }],
        stop_reason: toolUse ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage,
      });
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    res.write(
      event('message_start', {
        message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.input_tokens, output_tokens: 1 } },
      }),
    );
    const pieces: string[] = [];
    if (toolUse) {
      pieces.push(event('content_block_start', { index: 0, content_block: { ...toolUse, input: {} } }));
      for (const partial of ['', '{"city":', '"Paris"}']) {
        pieces.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: partial } }));
      }
    } else {
      pieces.push(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), event('ping', {}));
      for (const piece of splitText(text, behaviour.chunks ?? 5)) {
        pieces.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }));
      }
    }
    if (!(await this.writePieces(res, pieces, behaviour))) return;
    res.write(event('content_block_stop', { index: 0 }));
    res.write(event('message_delta', { delta: { stop_reason: toolUse ? 'tool_use' : 'end_turn', stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }));
    res.end(event('message_stop', {}));
  }
}
