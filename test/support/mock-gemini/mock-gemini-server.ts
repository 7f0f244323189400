import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { estimateTokens, MockBehaviour, MockUpstreamServer, RecordedRequest, splitText } from '../mock-upstream/mock-upstream-server';

type Part = { text?: string; inlineData?: unknown; functionCall?: unknown; functionResponse?: { name: string; response: unknown } };
type Content = { role?: string; parts: Part[] };

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/**
 * A Google Gemini API backend (`/v1beta/models/{model}:generateContent`,
 * `:streamGenerateContent?alt=sse`, `:batchEmbedContents`, `GET /v1beta/models`), after the shapes
 * of Google's documentation: `x-goog-api-key` header, `contents` of `user`/`model` turns with
 * parts, `google.rpc.Status` errors whose 429 carries a RetryInfo detail instead of a header.
 */
export class MockGeminiServer extends MockUpstreamServer {
  models = ['gemini-2.0-flash', 'text-embedding-004'];

  constructor(name = 'mock-gemini') {
    super(name);
  }

  get url(): string {
    return `${this.origin}/v1beta`;
  }

  generateRequests(): RecordedRequest[] {
    return this.requests.filter((r) => /:(stream)?[gG]enerateContent$/.test(r.path));
  }

  protected presentedKey(headers: IncomingHttpHeaders): string | undefined {
    return headers['x-goog-api-key'] as string | undefined;
  }

  protected override retryAfterInHeader(): boolean {
    return false;
  }

  protected errorBody(status: number, message: string, behaviour: MockBehaviour): unknown {
    const details = behaviour.retryAfter ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${behaviour.retryAfter}s` }] : undefined;
    return { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN', ...(details ? { details } : {}) } };
  }

  protected async route(request: RecordedRequest, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.path === '/v1beta/models') {
      this.sendJson(res, 200, {
        models: this.models.map((id) => ({
          name: `models/${id}`,
          displayName: id,
          supportedGenerationMethods: id.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'],
        })),
      });
      return;
    }
    const match = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/.exec(request.path);
    if (request.method !== 'POST' || !match || !request.body) {
      this.sendJson(res, 404, this.errorBody(404, `no route ${request.method} ${request.path}`, behaviour));
      return;
    }
    const [, model, method] = match;
    if (method === 'batchEmbedContents') {
      const requests = (request.body.requests as Array<{ model?: string }>) ?? [];
      if (requests.some((r) => r.model !== `models/${model}`)) {
        this.sendJson(res, 400, this.errorBody(400, 'requests[].model must be the model of the URL', behaviour));
        return;
      }
      this.sendJson(res, 200, { embeddings: requests.map(() => ({ values: [0.1, 0.2, 0.3] })) });
      return;
    }
    const contents = request.body.contents as Content[] | undefined;
    if (!Array.isArray(contents) || contents.length === 0 || contents.some((c) => c.role !== 'user' && c.role !== 'model')) {
      this.sendJson(res, 400, this.errorBody(400, '* GenerateContentRequest.contents: contents is not specified or has an invalid role', behaviour));
      return;
    }
    const stream = method === 'streamGenerateContent';
    if (stream && !request.url.includes('alt=sse')) {
      this.sendJson(res, 400, this.errorBody(400, 'this mock streams Server-Sent Events only (alt=sse)', behaviour));
      return;
    }
    await this.generate(model, request.body, contents, stream, behaviour, res);
  }

  private async generate(model: string, body: Record<string, unknown>, contents: Content[], stream: boolean, behaviour: MockBehaviour, res: ServerResponse): Promise<void> {
    const last = contents.at(-1)!;
    const responses = last.parts.filter((p) => p.functionResponse).map((p) => p.functionResponse!);
    const declarations = (body.tools as Array<{ functionDeclarations?: Array<{ name: string }> }> | undefined)?.flatMap((t) => t.functionDeclarations ?? []) ?? [];
    const config = (body.toolConfig as { functionCallingConfig?: { mode?: string; allowedFunctionNames?: string[] } } | undefined)?.functionCallingConfig;
    const toolName =
      declarations.length && !responses.length && config?.mode !== 'NONE' ? (config?.allowedFunctionNames?.[0] ?? declarations[0].name) : null;
    const text = responses.length
      ? `Tool said: ${responses.map((r) => JSON.stringify(r.response)).join(', ')}`
      : (behaviour.content ?? `Mock reply to: ${last.parts.map((p) => p.text ?? '').join(' ').trim()}`);
    const usageMetadata = { promptTokenCount: estimateTokens(contents), candidatesTokenCount: estimateTokens(text), totalTokenCount: 0 };
    usageMetadata.totalTokenCount = usageMetadata.promptTokenCount + usageMetadata.candidatesTokenCount;
    const responseId = `mock-gemini-${++this.sequence}`;
    const candidate = (parts: Part[], finishReason?: string) => ({
      content: { role: 'model', parts },
      ...(finishReason ? { finishReason } : {}),
      index: 0,
    });
    const functionCall = toolName ? { functionCall: { name: toolName, args: { city: 'Paris' } } } : null;

    if (!stream) {
      this.sendJson(res, 200, {
        candidates: [candidate(functionCall ? [functionCall] : [{ text }], 'STOP')],
        usageMetadata,
        modelVersion: model,
        responseId,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const event = (data: object) => `data: ${JSON.stringify({ ...data, modelVersion: model, responseId })}\r\n\r\n`;
    if (functionCall) {
      res.end(event({ candidates: [candidate([functionCall], 'STOP')], usageMetadata }));
      return;
    }
    const pieces = splitText(text, behaviour.chunks ?? 5);
    const events = pieces.map((piece, i) =>
      i === pieces.length - 1 ? event({ candidates: [candidate([{ text: piece }], 'STOP')], usageMetadata }) : event({ candidates: [candidate([{ text: piece }])] }),
    );
    if (await this.writePieces(res, events, behaviour)) res.end();
  }
}
