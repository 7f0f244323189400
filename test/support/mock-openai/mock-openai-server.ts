import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the mock does with the next request (or every request, as the default). */
export interface MockBehaviour {
  /** Answer with this HTTP status and an OpenAI error body (or `rawBody`). */
  status?: number;
  retryAfter?: string;
  /** Sent as is, with `contentType` (e.g. an HTML error page). */
  rawBody?: string;
  contentType?: string;
  /** Wait before sending response headers. */
  delayMs?: number;
  /** Wait between stream chunks. */
  chunkDelayMs?: number;
  /** Close the connection after this many content chunks (a stream cut in the middle). */
  cutAfterChunks?: number;
  /** Stop sending (but keep the connection open) after this many content chunks. */
  stallAfterChunks?: number;
  /** Reply text; default "Mock reply to: <last user message>". */
  content?: string;
  /** Number of content chunks a streamed reply is split into. */
  chunks?: number;
  /** The model name the reply reports (a dated snapshot, say); default: the one requested. */
  model?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown> | null;
  /** Set when the client went away before the response was complete. */
  aborted: boolean;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function lastUserText(body: Record<string, unknown>): string {
  const messages = (body.messages as Array<{ role: string; content: unknown }> | undefined) ?? [];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return (last.content as Array<{ text?: string }>).map((p) => p.text ?? '').join(' ');
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * An OpenAI-compatible upstream for tests and benchmarks: chat (plain, stream, tool calls),
 * models, embeddings; told to be slow, to fail, to rate-limit or to cut a stream.
 */
export class MockOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  models = ['mock-model', 'mock-large'];
  private readonly queue: MockBehaviour[] = [];
  private defaultBehaviour: MockBehaviour = {};
  private server?: Server;
  private sequence = 0;

  constructor(
    private readonly name = 'mock',
    private readonly options: { record: boolean } = { record: true },
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  /** The next requests get these behaviours, in order; after that the default applies. */
  enqueue(...behaviours: MockBehaviour[]): this {
    this.queue.push(...behaviours);
    return this;
  }

  setDefault(behaviour: MockBehaviour): this {
    this.defaultBehaviour = behaviour;
    return this;
  }

  reset(): this {
    this.queue.length = 0;
    this.defaultBehaviour = {};
    this.requests.length = 0;
    return this;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  async start(port = 0, host = '127.0.0.1'): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | null = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body, aborted: false };
    if (this.options.record) this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.aborted = true;
    });
    const behaviour = this.queue.shift() ?? this.defaultBehaviour;
    if (behaviour.delayMs) await wait(behaviour.delayMs);
    if (res.destroyed) return;

    if (behaviour.status && behaviour.status >= 400) {
      const headers: Record<string, string> = { 'content-type': behaviour.contentType ?? 'application/json' };
      if (behaviour.retryAfter) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers);
      res.end(
        behaviour.rawBody ??
          JSON.stringify({ error: { message: `${this.name} failure ${behaviour.status}`, type: 'server_error', code: null, param: null } }),
      );
      return;
    }
    if (behaviour.rawBody !== undefined) {
      res.writeHead(behaviour.status ?? 200, { 'content-type': behaviour.contentType ?? 'application/json' });
      res.end(behaviour.rawBody);
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 0, owned_by: this.name })) }));
      return;
    }
    if (req.method === 'POST' && path.endsWith('/embeddings') && body) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'list',
          model: body.model,
          data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
          usage: { prompt_tokens: 3, total_tokens: 3 },
        }),
      );
      return;
    }
    if (req.method === 'POST' && path.endsWith('/chat/completions') && body) {
      await this.chat(body, behaviour, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } }));
  }

  private async chat(body: Record<string, unknown>, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const id = `chatcmpl-${this.name}-${++this.sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const model = behaviour.model ?? String(body.model);
    const content = behaviour.content ?? `Mock reply to: ${lastUserText(body)}`;
    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    const toolChoice = body.tool_choice as string | { function: { name: string } } | undefined;
    const toolName =
      tools?.length && toolChoice !== 'none'
        ? typeof toolChoice === 'object'
          ? toolChoice.function.name
          : tools[0].function.name
        : null;
    const usage = {
      prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: 0,
    };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const toolCall = toolName ? { id: `call_${this.sequence}`, type: 'function', function: { name: toolName, arguments: '{"city":"Paris"}' } } : null;

    if (body.stream !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: toolCall
                ? { role: 'assistant', content: null, tool_calls: [toolCall], refusal: null }
                : { role: 'assistant', content, refusal: null },
              finish_reason: toolCall ? 'tool_calls' : 'stop',
              logprobs: null,
            },
          ],
          usage,
        }),
      );
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: unknown, finish: string | null) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    send(chunk({ role: 'assistant', content: '' }, null));
    const pieces = toolCall ? ['{"city":', '"Paris"}'] : split(content, behaviour.chunks ?? 5);
    if (toolCall) send(chunk({ tool_calls: [{ index: 0, id: toolCall.id, type: 'function', function: { name: toolCall.function.name, arguments: '' } }] }, null));
    for (let i = 0; i < pieces.length; i++) {
      if (behaviour.chunkDelayMs) await wait(behaviour.chunkDelayMs);
      if (behaviour.cutAfterChunks !== undefined && i >= behaviour.cutAfterChunks) {
        res.destroy();
        return;
      }
      if (behaviour.stallAfterChunks !== undefined && i >= behaviour.stallAfterChunks) return; // never ends
      if (res.destroyed) return;
      send(chunk(toolCall ? { tool_calls: [{ index: 0, function: { arguments: pieces[i] } }] } : { content: pieces[i] }, null));
    }
    send(chunk({}, toolCall ? 'tool_calls' : 'stop'));
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
    }
    res.end('data: [DONE]\n\n');
  }
}
