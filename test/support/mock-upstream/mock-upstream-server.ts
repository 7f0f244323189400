import { createServer, IncomingMessage, IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a mock does with the next request (or every request, as the default). */
export interface MockBehaviour {
  /** Answer with this HTTP status and the wire's error body (or `rawBody`). */
  status?: number;
  /** Seconds the backend asks to wait (a Retry-After header, or the wire's own place for it). */
  retryAfter?: string;
  /** Sent as is, with `contentType` (e.g. an HTML error page). */
  rawBody?: string;
  contentType?: string;
  /** Wait before sending response headers. */
  delayMs?: number;
  /** Reset the connection instead of answering (after `delayMs`): no status, no headers. */
  resetConnection?: boolean;
  /** Wait between stream pieces. */
  chunkDelayMs?: number;
  /** Close the connection after this many content pieces (a stream cut in the middle). */
  cutAfterChunks?: number;
  /** Stop sending (but keep the connection open) after this many content pieces. */
  stallAfterChunks?: number;
  /** Reply text; default "Mock reply to: <last user text>". */
  content?: string;
  /** Number of pieces a streamed text reply is split into. */
  chunks?: number;
  /** The model name the reply reports (a dated snapshot, say); default: the one requested. */
  model?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | null;
  /** Set when the client went away before the response was complete, with the time it did. */
  aborted: boolean;
  abortedAt?: number;
}

export const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function splitText(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function estimateTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));
}

/**
 * A fake LLM backend speaking one provider's wire, for tests: it records every request (and
 * whether the client aborted it), and can be told to be slow, to fail, to rate-limit or to cut a
 * stream. With `requiredKey` set, a request without that key gets the wire's 401, echoing the key
 * it was given, as careless upstreams do (AISBF must scrub it).
 */
export abstract class MockUpstreamServer {
  readonly requests: RecordedRequest[] = [];
  requiredKey?: string;
  protected sequence = 0;
  private readonly queue: MockBehaviour[] = [];
  private defaultBehaviour: MockBehaviour = {};
  private server?: Server;

  constructor(
    readonly name: string,
    /** record: false keeps no request history (benchmarks send millions). */
    private readonly options: { record: boolean } = { record: true },
  ) {}

  /** The endpoint a provider of this wire is configured with. */
  abstract get url(): string;

  /** The key the request presented in this wire's header. */
  protected abstract presentedKey(headers: IncomingHttpHeaders): string | undefined;

  /** The wire's error body for a status. */
  protected abstract errorBody(status: number, message: string, behaviour: MockBehaviour): unknown;

  /** Answers a request that passed authentication and behaviour checks. */
  protected abstract route(request: RecordedRequest, behaviour: MockBehaviour, res: ServerResponse): Promise<void>;

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

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

  /** Resolves once a request to a path containing `fragment` has arrived. */
  async waitForRequest(fragment: string, timeoutMs = 10_000): Promise<RecordedRequest> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find((r) => r.path.includes(fragment));
      if (found) return found;
      if (Date.now() > until) throw new Error(`${this.name}: no request to ${fragment} within ${timeoutMs} ms`);
      await wait(10);
    }
  }

  /** Resolves once the client has aborted this request. */
  async waitForAbort(request: RecordedRequest, timeoutMs = 10_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    while (!request.aborted) {
      if (Date.now() > until) throw new Error(`${this.name}: request ${request.path} was not aborted within ${timeoutMs} ms`);
      await wait(5);
    }
    return request.abortedAt!;
  }

  protected sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  /** Writes stream pieces with the behaviour's pacing; false when the stream was cut, stalled or the client left. */
  protected async writePieces(res: ServerResponse, pieces: string[], behaviour: MockBehaviour): Promise<boolean> {
    for (let i = 0; i < pieces.length; i++) {
      if (behaviour.chunkDelayMs) await wait(behaviour.chunkDelayMs);
      if (res.destroyed) return false;
      if (behaviour.cutAfterChunks !== undefined && i >= behaviour.cutAfterChunks) {
        res.destroy();
        return false;
      }
      // A stalled upstream keeps the connection open and says nothing more.
      if (behaviour.stallAfterChunks !== undefined && i >= behaviour.stallAfterChunks) return false;
      res.write(pieces[i]);
    }
    return true;
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
    const url = req.url ?? '/';
    const record: RecordedRequest = { method: req.method ?? 'GET', url, path: url.split('?')[0], headers: req.headers, body, aborted: false };
    if (this.options.record) this.requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) {
        record.aborted = true;
        record.abortedAt = Date.now();
      }
    });
    const behaviour = this.queue.shift() ?? this.defaultBehaviour;
    if (this.requiredKey !== undefined) {
      const key = this.presentedKey(req.headers);
      if (key !== this.requiredKey) {
        this.sendJson(res, 401, this.errorBody(401, `invalid API key: ${key ?? '(none)'}`, behaviour));
        return;
      }
    }
    if (behaviour.delayMs) await wait(behaviour.delayMs);
    if (res.destroyed) return;
    if (behaviour.resetConnection) {
      req.socket.resetAndDestroy();
      return;
    }
    if (behaviour.status && behaviour.status >= 400) {
      const headers: Record<string, string> = { 'content-type': behaviour.contentType ?? 'application/json' };
      if (behaviour.retryAfter && this.retryAfterInHeader()) headers['retry-after'] = behaviour.retryAfter;
      res.writeHead(behaviour.status, headers);
      res.end(behaviour.rawBody ?? JSON.stringify(this.errorBody(behaviour.status, `${this.name} failure ${behaviour.status}`, behaviour)));
      return;
    }
    if (behaviour.rawBody !== undefined) {
      res.writeHead(behaviour.status ?? 200, { 'content-type': behaviour.contentType ?? 'application/json' });
      res.end(behaviour.rawBody);
      return;
    }
    await this.route(record, behaviour, res);
  }

  /** Most backends send Retry-After as a header; a wire that says it elsewhere overrides this. */
  protected retryAfterInHeader(): boolean {
    return true;
  }
}
