import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  AisbfError,
  Candidate,
  ChatEnd,
  ConnectorChatRequest,
  connectorChatRequestSchema,
  ConnectorModelsReply,
  connectorModelsRequestSchema,
  requestCancelSchema,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusServer, HandlerContext } from '@aisbf/bus';
import { SecretBox } from '@aisbf/secrets';
import { generatorInContext } from '@aisbf/telemetry';
import { CONNECTOR_ENV, ConnectorEnv } from '../config/connector-env';
import { ChatAdapter } from '../adapters/chat-adapter';
import { OpenAiAdapter } from '../adapters/openai/openai-adapter';
import { DemoAdapter } from '../adapters/demo/demo-adapter';
import { UpstreamCallRecorder } from './upstream-call-recorder';

export const CONNECTOR_SECRET_BOX = Symbol('CONNECTOR_SECRET_BOX');
const MODELS_TIMEOUT_MS = 15_000;

/** Serves aisbf.connector.{pool}.chat/models for each configured pool, and cancels on request. */
@Injectable()
export class ConnectorChatHandler implements OnModuleInit {
  private readonly inflight = new Map<string, AbortController>();
  private readonly adapters: Partial<Record<Candidate['providerType'], ChatAdapter>>;

  constructor(
    private readonly bus: BusServer,
    @Inject(CONNECTOR_ENV) private readonly env: ConnectorEnv,
    @Inject(CONNECTOR_SECRET_BOX) private readonly box: SecretBox | null,
    openai: OpenAiAdapter,
    demo: DemoAdapter,
    private readonly upstream: UpstreamCallRecorder,
  ) {
    this.adapters = { openai, demo };
  }

  onModuleInit(): void {
    for (const pool of this.env.CONNECTOR_POOLS) {
      this.bus.onStream(SUBJECTS.connectorChat(pool), connectorChatRequestSchema, (call, ctx) => this.chat(call, ctx));
      this.bus.onRequest(SUBJECTS.connectorModels(pool), connectorModelsRequestSchema, async ({ candidate }) => {
        const models: ConnectorModelsReply = {
          models: await this.adapter(candidate).listModels(candidate, this.openKey(candidate), AbortSignal.timeout(MODELS_TIMEOUT_MS)),
        };
        return models;
      });
    }
    // Every replica hears every cancel; only the one running the request acts on it.
    this.bus.onEvent(
      SUBJECTS.requestCancelAll,
      requestCancelSchema,
      ({ requestId }) => this.inflight.get(requestId)?.abort(new Error('cancelled')),
      { broadcast: true },
    );
  }

  inflightCount(): number {
    return this.inflight.size;
  }

  private adapter(candidate: Candidate): ChatAdapter {
    const adapter = this.adapters[candidate.providerType];
    if (!adapter) {
      throw new AisbfError('upstream_error', `provider type '${candidate.providerType}' is not served by this connector`, {
        retryable: true,
      });
    }
    return adapter;
  }

  private openKey(candidate: Candidate): string | null {
    if (!candidate.sealedKey) return null;
    if (!this.box) throw new AisbfError('internal_error', 'connector has no AISBF_SECRET_KEY to open provider keys');
    try {
      return this.box.open(candidate.sealedKey);
    } catch {
      throw new AisbfError('internal_error', `provider ${candidate.providerId}: key cannot be opened with this AISBF_SECRET_KEY`);
    }
  }

  private async *chat(call: ConnectorChatRequest, ctx: HandlerContext): AsyncGenerator<Uint8Array, ChatEnd, undefined> {
    const cancel = new AbortController();
    this.inflight.set(call.requestId, cancel);
    const budget = Math.min(call.candidate.timeouts.totalMs, (ctx.deadline ?? Number.POSITIVE_INFINITY) - Date.now());
    const signal = AbortSignal.any([cancel.signal, AbortSignal.timeout(Math.max(1, budget))]);
    const upstream = this.upstream.start(call);
    try {
      const adapter = this.adapter(call.candidate);
      const chat = adapter.chat({ candidate: call.candidate, apiKey: this.openKey(call.candidate), body: call.body, signal });
      const end = yield* generatorInContext(upstream.context, chat);
      upstream.succeeded(end);
      return end;
    } catch (error) {
      upstream.failed(AisbfError.from(error), cancel.signal.aborted);
      throw error;
    } finally {
      this.inflight.delete(call.requestId);
    }
  }
}
