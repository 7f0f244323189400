import { Injectable } from '@nestjs/common';
import { Context, SpanKind } from '@opentelemetry/api';
import { AisbfError, Candidate, ChatEnd, EmbeddingsEnd } from '@aisbf/contracts';
import { AISBF_ATTR, AisbfMetrics, failSpan, GEN_AI, genAiProviderName, setChatEndAttributes, startSpan } from '@aisbf/telemetry';

/** One call to a backend, as a GenAI CLIENT span and the upstream metrics. */
export interface UpstreamCall {
  /** Run the adapter inside this context: its HTTP client span becomes this span's child. */
  readonly context: Context;
  succeeded(end: ChatEnd | EmbeddingsEnd): void;
  failed(error: AisbfError, cancelled: boolean): void;
}

function serverAttributes(endpoint: string): Record<string, string | number> {
  try {
    const url = new URL(endpoint);
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { 'server.address': url.hostname, 'server.port': port };
  } catch {
    return {};
  }
}

@Injectable()
export class UpstreamCallRecorder {
  constructor(private readonly metrics: AisbfMetrics) {}

  start(operation: 'chat' | 'embeddings', call: { requestId: string; candidate: Candidate; body: Record<string, unknown> }): UpstreamCall {
    const { candidate } = call;
    const provider = candidate.providerId;
    const providerName = genAiProviderName(candidate.providerType);
    const started = performance.now();
    const { span, context } = startSpan(`${operation} ${candidate.model}`, SpanKind.CLIENT, {
      [GEN_AI.operationName]: operation,
      [GEN_AI.providerName]: providerName,
      [GEN_AI.system]: providerName,
      [GEN_AI.requestModel]: candidate.model,
      [GEN_AI.requestStream]: call.body.stream === true,
      [AISBF_ATTR.requestId]: call.requestId,
      [AISBF_ATTR.providerId]: provider,
      [AISBF_ATTR.pool]: candidate.pool,
      ...serverAttributes(candidate.endpoint),
    });
    const m = this.metrics.m;
    m.upstreamActive.inc({ provider });
    let settled = false;
    const settle = (statusCode: string, outcome: string) => {
      if (settled) return false;
      settled = true;
      m.upstreamActive.dec({ provider });
      m.upstreamRequests.inc({ provider, status_code: statusCode, outcome });
      m.upstreamDuration.observe({ provider, status_code: statusCode }, (performance.now() - started) / 1000);
      return true;
    };
    return {
      context,
      succeeded: (end) => {
        const status = 'upstreamStatus' in end && end.upstreamStatus !== undefined ? String(end.upstreamStatus) : 'none';
        if (!settle(status, 'ok')) return;
        m.upstreamTimeToFirstChunk.observe({ provider }, end.upstreamFirstByteMs / 1000);
        if ('finishReason' in end) setChatEndAttributes(span, end);
        span.end();
      },
      failed: (error, cancelled) => {
        const statusCode = error.upstreamStatus === undefined ? 'none' : String(error.upstreamStatus);
        if (!settle(statusCode, cancelled ? 'cancelled' : error.code)) return;
        if (error.upstreamStatus !== undefined) span.setAttribute(AISBF_ATTR.upstreamStatus, error.upstreamStatus);
        failSpan(span, cancelled ? 'cancelled' : error.code);
        span.end();
      },
    };
  }
}
