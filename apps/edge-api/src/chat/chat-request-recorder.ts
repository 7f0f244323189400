import type { ServerResponse } from 'node:http';
import { context, Context, Span, SpanKind } from '@opentelemetry/api';
import { AisbfError, Candidate, ChatEnd, classificationHeader, parseModelId, RoutePlan } from '@aisbf/contracts';
import {
  AISBF_ATTR,
  AisbfMetrics,
  failSpan,
  GEN_AI,
  genAiProviderName,
  RouteKindLabel,
  setChatEndAttributes,
  startSpan,
  StartedSpan,
  traceIds,
} from '@aisbf/telemetry';
import type { Logger } from 'pino';
import type { PlanSource } from '../relay/reusable-plans';

/** `client_error`: the request itself was wrong (4xx but 429); `error`: AISBF or its backends failed it. */
const summaryLoggers = new WeakMap<Logger, Logger>();

/**
 * The summary line is built field by field from names, ids, counts and timings, so it holds no
 * secret by construction: it skips pino's path redaction, whose wildcard paths cost more than
 * the rest of the line on the hot path.
 */
function summaryLogger(logger: Logger): Logger {
  let child = summaryLoggers.get(logger);
  if (!child) {
    child = logger.child({}, { redact: { paths: [] } });
    summaryLoggers.set(logger, child);
  }
  return child;
}

type Outcome = 'ok' | 'error' | 'client_error' | 'cancelled';

/** What the edge learned about one attempt, for the request's span and metrics. */
export interface AttemptTrace {
  /** Run the attempt's bus call inside this context: its spans become the attempt's children. */
  readonly context: Context;
  finish(error: AisbfError | null, latencyMs: number, end: ChatEnd | null): void;
}

interface Answer {
  candidate: Candidate;
  end: ChatEnd | null;
}

/**
 * Telemetry of one chat request at the edge: the `chat {route}` span and one child span per
 * attempt (with the GenAI and routing attributes), the request metrics, and one summary log
 * line. It records names, ids, counts and timings only: never message text.
 */
export class ChatRequestRecorder {
  private readonly started = performance.now();
  private readonly summaryLogger: Logger;
  private readonly root: StartedSpan;
  private routeKind: RouteKindLabel = 'unknown';
  private routeId: string | null = null;
  private stream = false;
  private streamCounted = false;
  private requestId: string | null = null;
  private attempts = 0;
  private lastFailure: { candidate: Candidate; code: string } | null = null;
  private answer: Answer | null = null;
  private firstByteMs: number | null = null;
  private failedAttemptsMs = 0;
  private done = false;

  constructor(
    private readonly metrics: AisbfMetrics,
    private readonly logger: Logger,
    private readonly username: string,
  ) {
    this.root = startSpan('chat', SpanKind.INTERNAL, { [GEN_AI.operationName]: 'chat' });
    this.summaryLogger = summaryLogger(logger);
  }

  /** Runs `work` with the request span active, so the resolve call and the attempts are its children. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return context.with(this.root.context, work);
  }

  requested(body: { model: string; stream?: boolean | null }): void {
    this.routeId = body.model;
    this.routeKind = parseModelId(body.model)?.kind ?? 'unknown';
    this.stream = body.stream === true;
    this.root.span.updateName(`chat ${body.model}`);
    this.root.span.setAttributes({
      [GEN_AI.requestModel]: body.model,
      [GEN_AI.requestStream]: this.stream,
      [AISBF_ATTR.routeId]: body.model,
      [AISBF_ATTR.routeKind]: this.routeKind,
    });
  }

  planned(plan: RoutePlan, source: PlanSource = 'resolver'): void {
    this.routeKind = plan.routeKind;
    this.root.span.setAttributes({
      [AISBF_ATTR.routeKind]: plan.routeKind,
      [AISBF_ATTR.candidates]: plan.candidates.length,
      [AISBF_ATTR.planReused]: source === 'reused',
    });
    const decision = plan.classification;
    if (decision) {
      // The verdict and the choice, never the detectors' matches.
      this.root.span.setAttributes({
        [AISBF_ATTR.privacyDecision]: classificationHeader(decision).split(';')[0],
        [AISBF_ATTR.autoselectSelected]: decision.selected,
        [AISBF_ATTR.autoselectMethod]: decision.method,
      });
    }
    if (this.stream && !this.streamCounted) {
      this.streamCounted = true;
      this.metrics.m.activeStreams.inc({ route_kind: this.routeKind });
    }
  }

  attempt(requestId: string, candidate: Candidate, number: number): AttemptTrace {
    this.requestId = requestId;
    this.attempts = number;
    if (number > 1 && this.lastFailure) {
      this.metrics.m.failovers.inc({ route_kind: this.routeKind, provider: this.lastFailure.candidate.providerId, reason: this.lastFailure.code });
    }
    const providerName = genAiProviderName(candidate.providerType);
    const { span, context: attemptContext } = startSpan(
      `attempt ${candidate.providerId}`,
      SpanKind.INTERNAL,
      {
        [GEN_AI.operationName]: 'chat',
        [GEN_AI.providerName]: providerName,
        [GEN_AI.system]: providerName,
        [GEN_AI.requestModel]: candidate.model,
        [AISBF_ATTR.requestId]: requestId,
        [AISBF_ATTR.routeKind]: this.routeKind,
        [AISBF_ATTR.candidate]: `${candidate.providerId}/${candidate.model}`,
        [AISBF_ATTR.providerId]: candidate.providerId,
        [AISBF_ATTR.pool]: candidate.pool,
        [AISBF_ATTR.attempt]: number,
        [AISBF_ATTR.failover]: number > 1,
      },
      this.root.context,
    );
    return {
      context: attemptContext,
      finish: (error, latencyMs, end) => this.attemptFinished(span, candidate, error, latencyMs, end),
    };
  }

  /** The first byte of the answer went to the client. */
  firstByte(): void {
    this.firstByteMs ??= performance.now() - this.started;
  }

  /** The relay is over (answered, failed, or the client went away). */
  finish(res: ServerResponse): void {
    if (this.answer) return this.complete('ok', 200, null);
    const code = this.lastFailure?.code ?? 'internal_error';
    if (!res.writableEnded) return this.complete('cancelled', 499, code);
    this.complete('error', res.statusCode, code);
  }

  /** The request failed before the relay could answer (invalid body, unknown route, resolver down...). */
  fail(thrown: unknown): void {
    const error = AisbfError.from(thrown);
    this.complete('error', error.status, error.code);
  }

  private attemptFinished(span: Span, candidate: Candidate, error: AisbfError | null, latencyMs: number, end: ChatEnd | null): void {
    span.setAttribute(AISBF_ATTR.outcome, error ? 'error' : 'ok');
    if (error) {
      failSpan(span, error.code);
      if (error.upstreamStatus !== undefined) span.setAttribute(AISBF_ATTR.upstreamStatus, error.upstreamStatus);
      this.failedAttemptsMs += latencyMs;
      this.lastFailure = { candidate, code: error.code };
    } else {
      if (end) setChatEndAttributes(span, end);
      this.answer = { candidate, end };
    }
    span.end();
  }

  private complete(result: 'ok' | 'error' | 'cancelled', status: number, code: string | null): void {
    if (this.done) return;
    this.done = true;
    const outcome: Outcome = result === 'error' && status >= 400 && status < 500 && status !== 429 ? 'client_error' : result;
    const durationMs = performance.now() - this.started;
    const candidate = this.answer?.candidate ?? this.lastFailure?.candidate ?? null;
    const provider = candidate?.providerId ?? 'none';
    const end = this.answer?.end ?? null;
    const m = this.metrics.m;
    const routeKind = this.routeKind;

    m.requests.inc({ route_kind: routeKind, provider, outcome });
    m.requestDuration.observe({ route_kind: routeKind, provider, outcome }, durationMs / 1000);
    if (result === 'error' && code) m.requestErrors.inc({ route_kind: routeKind, code });
    if (this.streamCounted) m.activeStreams.dec({ route_kind: routeKind });
    if (outcome === 'ok') {
      if (this.stream && this.firstByteMs !== null) {
        m.timeToFirstToken.observe({ route_kind: routeKind, provider }, this.firstByteMs / 1000);
        const outputTokens = end?.usage?.completion_tokens ?? 0;
        if (outputTokens > 1) {
          m.timePerOutputToken.observe({ route_kind: routeKind, provider }, (durationMs - this.firstByteMs) / 1000 / (outputTokens - 1));
        }
      }
      if (end) {
        m.gatewayOverhead.observe({ route_kind: routeKind }, Math.max(0, durationMs - this.failedAttemptsMs - end.upstreamTotalMs) / 1000);
      }
      if (end?.usage) {
        m.tokenUsage.observe({ route_kind: routeKind, provider, token_type: 'input' }, end.usage.prompt_tokens);
        m.tokenUsage.observe({ route_kind: routeKind, provider, token_type: 'output' }, end.usage.completion_tokens);
      }
    }

    const span = this.root.span;
    span.setAttributes({ [AISBF_ATTR.attempts]: this.attempts, [AISBF_ATTR.failover]: this.attempts > 1, [AISBF_ATTR.outcome]: outcome });
    if (candidate) {
      const providerName = genAiProviderName(candidate.providerType);
      span.setAttributes({
        [GEN_AI.providerName]: providerName,
        [GEN_AI.system]: providerName,
        [AISBF_ATTR.candidate]: `${candidate.providerId}/${candidate.model}`,
      });
    }
    if (end) setChatEndAttributes(span, end);
    if (code && outcome !== 'ok') failSpan(span, code);

    // One line per request: the route it took and how it went, never what was said.
    this.summaryLogger.info(
      {
        ...traceIds(span),
        request_id: this.requestId,
        user: this.username,
        route: this.routeId,
        route_kind: routeKind,
        // The candidate that served the request (or failed last), as in the span and the route headers.
        candidate: candidate ? `${candidate.providerId}/${candidate.model}` : null,
        provider: candidate?.providerId ?? null,
        model: candidate?.model ?? null,
        attempts: this.attempts,
        failover: this.attempts > 1,
        stream: this.stream,
        status,
        outcome,
        code: outcome === 'ok' ? null : code,
        duration_ms: Math.round(durationMs),
        ttft_ms: this.firstByteMs === null ? null : Math.round(this.firstByteMs),
        input_tokens: end?.usage?.prompt_tokens ?? null,
        output_tokens: end?.usage?.completion_tokens ?? null,
      },
      'chat request',
    );
    span.end();
  }
}
