import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ChatEnd, ConnectorChatRequest, connectorChatRequestSchema, SUBJECTS } from '@aisbf/contracts';
import { BusServer, HandlerContext } from '@aisbf/bus';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { AdapterRegistry } from '../adapters/adapter-registry';
import { InflightCalls } from '../calls/inflight-calls';

/** Serves aisbf.connector.{pool}.chat for each pool of this process. */
@Injectable()
export class ConnectorChatHandler implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    @Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv,
    private readonly adapters: AdapterRegistry,
    private readonly calls: InflightCalls,
  ) {}

  onModuleInit(): void {
    for (const pool of this.env.CONNECTOR_POOLS) {
      this.bus.onStream(SUBJECTS.connectorChat(pool), connectorChatRequestSchema, (call, ctx) => this.chat(call, ctx));
    }
  }

  private async *chat(call: ConnectorChatRequest, ctx: HandlerContext): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const { signal, done } = this.calls.start(call.requestId, call.candidate.timeouts.totalMs, ctx.deadline);
    try {
      const adapter = this.adapters.adapter(call.candidate);
      const apiKey = this.adapters.openKey(call.candidate);
      return yield* adapter.chat({ candidate: call.candidate, apiKey, body: call.body, signal });
    } finally {
      done();
    }
  }
}
