import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { estimateTokens, MockBehaviour, MockUpstreamServer, RecordedRequest, splitText } from '../mock-upstream/mock-upstream-server';

type Message = { role: string; content: string; images?: string[]; tool_calls?: unknown[]; tool_name?: string };

/**
 * An Ollama server's native API (`POST /api/chat` streaming NDJSON by default, `GET /api/tags`,
 * `POST /api/embed`), after the shapes of Ollama's API documentation: `{"error": "..."}` errors,
 * tool calls with object arguments, a final `done: true` line with `done_reason` and counts.
 */
export class MockOllamaServer extends MockUpstreamServer {
  models = ['qwen2.5-coder:32b', 'nomic-embed-text:latest'];

  constructor(name = 'mock-ollama') {
    super(name);
  }

  get url(): string {
    return this.origin;
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/api/chat');
  }

  protected presentedKey(headers: IncomingHttpHeaders): string | undefined {
    return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  }

  protected errorBody(_status: number, message: string): unknown {
    return { error: message };
  }

  protected async route(request: RecordedRequest, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.path === '/api/tags') {
      this.sendJson(res, 200, {
        models: this.models.map((name) => ({
          name,
          model: name,
          modified_at: '2025-01-01T00:00:00Z',
          size: 19851349856,
          digest: 'b'.repeat(64),
          details: { format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '32.8B', quantization_level: 'Q4_K_M' },
        })),
      });
      return;
    }
    if (request.method === 'POST' && request.path === '/api/embed' && request.body) {
      const input = request.body.input;
      const inputs = Array.isArray(input) ? input : [input];
      this.sendJson(res, 200, {
        model: request.body.model,
        embeddings: inputs.map(() => [0.1, 0.2, 0.3]),
        total_duration: 14143917,
        load_duration: 1019500,
        prompt_eval_count: estimateTokens(inputs),
      });
      return;
    }
    if (request.method === 'POST' && request.path === '/api/chat' && request.body) {
      const messages = request.body.messages as Message[] | undefined;
      if (!Array.isArray(messages) || messages.some((m) => typeof m.content !== 'string')) {
        this.sendJson(res, 400, { error: 'invalid message format' });
        return;
      }
      if (!this.models.includes(String(request.body.model))) {
        this.sendJson(res, 404, { error: `model '${request.body.model}' not found` });
        return;
      }
      await this.chat(request.body, messages, behaviour, res);
      return;
    }
    this.sendJson(res, 404, { error: `no route ${request.method} ${request.path}` });
  }

  private async chat(body: Record<string, unknown>, messages: Message[], behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const model = String(body.model);
    const last = messages.at(-1);
    const toolResult = last?.role === 'tool' ? last : null;
    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    const toolCall = tools?.length && !toolResult ? { function: { name: tools[0].function.name, arguments: { city: 'Paris' } } } : null;
    const text = toolResult ? `Tool said: ${toolResult.content}` : (behaviour.content ?? `Mock reply to: ${last?.content ?? ''}`);
    const created_at = new Date().toISOString();
    const final = {
      model,
      created_at,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 4883583458,
      load_duration: 1334875,
      prompt_eval_count: estimateTokens(messages),
      prompt_eval_duration: 342546000,
      eval_count: estimateTokens(text),
      eval_duration: 4535599000,
    };
    // Ollama streams unless told `"stream": false`.
    if (body.stream === false) {
      this.sendJson(res, 200, { ...final, message: toolCall ? { role: 'assistant', content: '', tool_calls: [toolCall] } : { role: 'assistant', content: text } });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (message: object) => `${JSON.stringify({ model, created_at, message, done: false })}\n`;
    const lines = toolCall
      ? [line({ role: 'assistant', content: '', tool_calls: [toolCall] })]
      : splitText(text, behaviour.chunks ?? 5).map((piece) => line({ role: 'assistant', content: piece }));
    if (await this.writePieces(res, lines, behaviour)) res.end(`${JSON.stringify(final)}\n`);
  }
}
