import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { estimateTokens, MockBehaviour, MockUpstreamServer, RecordedRequest, splitText } from '../mock-upstream/mock-upstream-server';

export type { MockBehaviour, RecordedRequest };

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ role: string; content: unknown }> | undefined) ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as Array<{ text?: string }>).map((p) => p.text ?? '').join(' ');
}

/**
 * An OpenAI-compatible upstream for tests and benchmarks: chat (plain, stream, tool calls),
 * models, embeddings; told to be slow, to fail, to rate-limit, to stall or to cut a stream.
 */
export class MockOpenAiServer extends MockUpstreamServer {
  models = ['mock-model', 'mock-large'];

  constructor(name = 'mock', options: { record: boolean } = { record: true }) {
    super(name, options);
  }

  get url(): string {
    return `${this.origin}/v1`;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  protected presentedKey(headers: IncomingHttpHeaders): string | undefined {
    return /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  }

  protected errorBody(status: number, message: string): unknown {
    return { error: { message, type: status === 401 ? 'invalid_request_error' : 'server_error', code: null, param: null } };
  }

  protected async route(request: RecordedRequest, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const { method, path, body } = request;
    if (method === 'GET' && path.endsWith('/models')) {
      this.sendJson(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: this.name })) });
      return;
    }
    if (method === 'POST' && path.endsWith('/embeddings') && body) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      this.sendJson(res, 200, {
        object: 'list',
        model: body.model,
        data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
        usage: { prompt_tokens: 3, total_tokens: 3 },
      });
      return;
    }
    if (method === 'POST' && path.endsWith('/chat/completions') && body) {
      await this.chat(body, behaviour, res);
      return;
    }
    this.sendJson(res, 404, { error: { message: `no route ${method} ${path}`, type: 'invalid_request_error' } });
  }

  private async chat(body: Record<string, unknown>, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const id = `chatcmpl-${this.name}-${++this.sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const model = behaviour.model ?? String(body.model);
    const content = behaviour.content ?? `Mock reply to: ${lastUserText(body)}`;
    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    const toolChoice = body.tool_choice as string | { function: { name: string } } | undefined;
    const toolName =
      tools?.length && toolChoice !== 'none' ? (typeof toolChoice === 'object' ? toolChoice.function.name : tools[0].function.name) : null;
    const usage = { prompt_tokens: estimateTokens(body.messages), completion_tokens: Math.ceil(content.length / 4), total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const toolCall = toolName ? { id: `call_${this.sequence}`, type: 'function', function: { name: toolName, arguments: '{"city":"Paris"}' } } : null;

    if (body.stream !== true) {
      this.sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: toolCall ? { role: 'assistant', content: null, tool_calls: [toolCall], refusal: null } : { role: 'assistant', content, refusal: null },
            finish_reason: toolCall ? 'tool_calls' : 'stop',
            logprobs: null,
          },
        ],
        usage,
      });
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const event = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
    const chunk = (delta: unknown, finish: string | null) =>
      event({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] });
    res.write(chunk({ role: 'assistant', content: '' }, null));
    if (toolCall) {
      res.write(chunk({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } }] }, null));
    }
    const pieces = (toolCall ? ['{"city":', '"Paris"}'] : splitText(content, behaviour.chunks ?? 5)).map((piece) =>
      chunk(toolCall ? { tool_calls: [{ index: 0, function: { arguments: piece } }] } : { content: piece }, null),
    );
    if (!(await this.writePieces(res, pieces, behaviour))) return;
    res.write(chunk({}, toolCall ? 'tool_calls' : 'stop'));
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      res.write(event({ id, object: 'chat.completion.chunk', created, model, choices: [], usage }));
    }
    res.end('data: [DONE]\n\n');
  }
}
