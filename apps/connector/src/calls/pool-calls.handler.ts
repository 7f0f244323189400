import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  AisbfError,
  Candidate,
  ChatEnd,
  connectorChatRequestSchema,
  connectorEmbeddingsRequestSchema,
  EmbeddingsEnd,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusServer, HandlerContext, HeldChunk, holdChunks, StreamChunks } from '@aisbf/bus';
import { generatorInContext } from '@aisbf/telemetry';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { AdapterRegistry } from '../adapters/adapter-registry';
import { AdapterCall, ChatAdapter } from '../adapters/chat-adapter';
import { wasCancelled } from '../upstream/upstream-http';
import { InflightCalls } from './inflight-calls';
import { UpstreamCallRecorder } from './upstream-call-recorder';

/** Bus messages stay well under NATS's default 1 MB limit; a large batch of vectors is sent in pieces. */
const PIECE_BYTES = 256 * 1024;

interface PoolCall {
  requestId: string;
  candidate: Candidate;
  body: Record<string, unknown>;
}

/**
 * Serves aisbf.connector.{pool}.chat and .embeddings for each pool of this process: every call is
 * registered for cancellation, bounded by the provider's total timeout and the caller's deadline,
 * and handed to the adapter of the provider's wire with its key opened for that call only.
 */
@Injectable()
export class PoolCallsHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    @Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv,
    private readonly adapters: AdapterRegistry,
    private readonly calls: InflightCalls,
    private readonly upstream: UpstreamCallRecorder,
  ) {}

  onModuleInit(): void {
    for (const pool of this.env.CONNECTOR_POOLS) {
      this.bus.onStream(SUBJECTS.connectorChat(pool), connectorChatRequestSchema, (call, ctx) =>
        this.run('chat', call, ctx, (adapter, adapterCall) => adapter.chat(adapterCall)),
      );
      this.bus.onStream(SUBJECTS.connectorEmbeddings(pool), connectorEmbeddingsRequestSchema, (call, ctx) =>
        this.run('embeddings', call, ctx, (adapter, adapterCall) => this.embeddings(adapter, adapterCall)),
      );
    }
  }

  private async *run<End extends ChatEnd | EmbeddingsEnd>(
    operation: 'chat' | 'embeddings',
    call: PoolCall,
    ctx: HandlerContext,
    serve: (adapter: ChatAdapter, call: AdapterCall) => AsyncGenerator<StreamChunks, End, undefined>,
  ): AsyncGenerator<StreamChunks | HeldChunk, End, undefined> {
    const { signal, done } = this.calls.start(call.requestId, call.candidate.timeouts.totalMs, ctx.deadline);
    // The GenAI span and upstream metrics of this call; the adapter's HTTP request becomes its child.
    const upstream = this.upstream.start(operation, call);
    try {
      const adapter = this.adapters.adapter(call.candidate);
      const apiKey = this.adapters.openKey(call.candidate);
      const frames = generatorInContext(upstream.context, serve(adapter, { candidate: call.candidate, apiKey, body: call.body, signal }));
      // A plain answer is read whole at the edge: its body travels with the end frame.
      const end = call.body.stream === true ? yield* frames : yield* holdChunks(frames);
      upstream.succeeded(end);
      return end;
    } catch (error) {
      upstream.failed(AisbfError.from(error), wasCancelled(signal));
      throw error;
    } finally {
      done();
    }
  }

  private async *embeddings(adapter: ChatAdapter, call: AdapterCall): AsyncGenerator<Uint8Array, EmbeddingsEnd, undefined> {
    const result = await adapter.embeddings(call);
    for (let offset = 0; offset < result.body.length; offset += PIECE_BYTES) yield result.body.subarray(offset, offset + PIECE_BYTES);
    return { usage: result.usage, upstreamFirstByteMs: result.upstreamFirstByteMs, upstreamTotalMs: result.upstreamTotalMs };
  }
}
