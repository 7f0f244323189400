import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ConnectorEmbeddingsRequest, connectorEmbeddingsRequestSchema, EmbeddingsEnd, SUBJECTS } from '@aisbf/contracts';
import { BusServer, HandlerContext } from '@aisbf/bus';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { AdapterRegistry } from '../adapters/adapter-registry';
import { InflightCalls } from '../calls/inflight-calls';

/** Bus messages stay well under NATS's default 1 MB limit; a large batch of vectors is sent in pieces. */
const PIECE_BYTES = 256 * 1024;

/** Serves aisbf.connector.{pool}.embeddings for each pool of this process. */
@Injectable()
export class ConnectorEmbeddingsHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    @Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv,
    private readonly adapters: AdapterRegistry,
    private readonly calls: InflightCalls,
  ) {}

  onModuleInit(): void {
    for (const pool of this.env.CONNECTOR_POOLS) {
      this.bus.onStream(SUBJECTS.connectorEmbeddings(pool), connectorEmbeddingsRequestSchema, (call, ctx) => this.embeddings(call, ctx));
    }
  }

  private async *embeddings(call: ConnectorEmbeddingsRequest, ctx: HandlerContext): AsyncGenerator<Uint8Array, EmbeddingsEnd, undefined> {
    const { signal, done } = this.calls.start(call.requestId, call.candidate.timeouts.totalMs, ctx.deadline);
    try {
      const adapter = this.adapters.adapter(call.candidate);
      const apiKey = this.adapters.openKey(call.candidate);
      const result = await adapter.embeddings({ candidate: call.candidate, apiKey, body: call.body, signal });
      for (let offset = 0; offset < result.body.length; offset += PIECE_BYTES) {
        yield result.body.subarray(offset, offset + PIECE_BYTES);
      }
      return { usage: result.usage, upstreamFirstByteMs: result.upstreamFirstByteMs, upstreamTotalMs: result.upstreamTotalMs };
    } finally {
      done();
    }
  }
}
