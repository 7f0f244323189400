import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import {
  AisbfError,
  Candidate,
  ChatEnd,
  ConnectorChatRequest,
  parseModelId,
  RouteExplanation,
  RoutePlan,
  RouteResolveRequest,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { ChatCompletionRequest, classificationMessages, isStreamPreamble, requestHints, SSE_DONE, sseDataFrames, sseJson } from '@aisbf/llm-wire';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { UsageLimits } from '../limits/usage-limits.service';
import { cancelWhenClientLeaves } from '../relay/client-cancellation';
import { OutcomeBatcher } from '../relay/outcome-batcher';
import { ResolvedPlan, RoutePlanClient } from '../relay/route-plan-client';
import { toHttpError, writeRawError } from '../errors/openai-error-response';
import { AttemptTrace, ChatRequestRecorder } from './chat-request-recorder';
import { FailedAttempt, headerSafe, routeHeaders } from '../http/route-headers';

/** Slack over the connector's own upstream timeouts: the connector reports first, the edge is the backstop. */
const BUS_MARGIN_MS = 2_000;
/** Most role-only chunks held back before the stream is started anyway. */
const MAX_PREAMBLE_CHUNKS = 8;

interface Attempt {
  candidate: Candidate;
  number: number;
}

/**
 * One chat request: resolve the plan, then try candidates in order. Before the first byte reaches
 * the client a failed candidate is replaced by the next one; after it, the stream ends with an
 * OpenAI-style error event and [DONE], never a silent replay.
 */
@Injectable()
export class ChatRelayService {
  constructor(
    private readonly bus: BusClient,
    @Inject(EDGE_ENV) private readonly env: EdgeEnv,
    private readonly limits: UsageLimits,
    private readonly outcomes: OutcomeBatcher,
    private readonly plans: RoutePlanClient,
  ) {}

  resolve(user: AuthenticatedUser, body: ChatCompletionRequest): Promise<ResolvedPlan> {
    return this.plans.resolve(this.routeQuestion(user, body));
  }

  /** The plan a request with this body would get now, and why; no backend is called. */
  async explain(user: AuthenticatedUser, body: ChatCompletionRequest): Promise<RouteExplanation> {
    return (await this.bus.request(SUBJECTS.routeExplain, this.routeQuestion(user, body), {
      timeoutMs: this.env.AISBF_RESOLVE_TIMEOUT_MS,
    })) as RouteExplanation;
  }

  private routeQuestion(user: AuthenticatedUser, body: ChatCompletionRequest): RouteResolveRequest {
    const question: RouteResolveRequest = { username: user.username, model: body.model, hints: requestHints(body), maxCandidates: Math.min(this.env.AISBF_MAX_ATTEMPTS, 100) };
    // Only a policy route reads the conversation (to classify it); other routes get no text.
    if (parseModelId(body.model)?.kind === 'autoselect') question.messages = classificationMessages(body);
    return question;
  }

  async relay(
    user: AuthenticatedUser,
    body: ChatCompletionRequest,
    plan: RoutePlan,
    res: ServerResponse,
    recorder: ChatRequestRecorder,
  ): Promise<void> {
    const requestId = randomUUID();
    const deadline = Date.now() + this.env.AISBF_REQUEST_DEADLINE_MS;
    const clientGone = cancelWhenClientLeaves(res, this.bus, requestId);
    // A client gone while the route was resolved costs no upstream call at all.
    if (res.destroyed) return;

    const maxAttempts = Math.min(plan.candidates.length, this.env.AISBF_MAX_ATTEMPTS);
    const failed: FailedAttempt[] = [];
    let lastError: AisbfError | undefined;
    let attempts = 0;
    for (let index = 0; index < maxAttempts; index++) {
      if (Date.now() >= deadline) break;
      const attempt: Attempt = { candidate: plan.candidates[index], number: index + 1 };
      attempts = attempt.number;
      const headers = routeHeaders(plan, requestId, { candidate: attempt.candidate, attempt: attempt.number }, failed);
      const trace = recorder.attempt(requestId, attempt.candidate, attempt.number);
      const started = performance.now();
      let firstTokenMs: number | null = null;
      let end: ChatEnd | null = null;
      let responseBody: Uint8Array | null = null;
      // Role-only opening chunks are held back: until real output exists, a failure can still fail over unseen.
      const preamble: Uint8Array[] = [];
      const startStream = () => {
        recorder.firstByte();
        res.writeHead(200, {
          ...headers,
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        if (preamble.length > 0) res.write(sseDataFrames(preamble.splice(0)));
      };
      try {
        const call: ConnectorChatRequest = { requestId, candidate: attempt.candidate, body: { ...body, model: attempt.candidate.model } };
        const timeouts = attempt.candidate.timeouts;
        const frames = context.with(trace.context, () =>
          this.bus.stream(SUBJECTS.connectorChat(attempt.candidate.pool), call, {
            firstFrameTimeoutMs: timeouts.connectMs + timeouts.firstByteMs + BUS_MARGIN_MS,
            idleTimeoutMs: timeouts.idleMs + BUS_MARGIN_MS,
            deadline,
            signal: clientGone,
          }),
        );
        for await (const frame of frames) {
          if (frame.kind === 'end') {
            end = frame.payload as ChatEnd;
            break;
          }
          if (!body.stream) {
            responseBody = frame.chunks[frame.chunks.length - 1];
            continue;
          }
          // The chunks of one bus message go out in one write.
          let chunks = frame.chunks;
          if (!res.headersSent) {
            let opening = 0;
            while (opening < chunks.length && preamble.length < MAX_PREAMBLE_CHUNKS && isStreamPreamble(chunks[opening])) {
              preamble.push(chunks[opening++]);
            }
            if (opening === chunks.length) continue;
            chunks = chunks.slice(opening);
            firstTokenMs = performance.now() - started;
            startStream();
          }
          res.write(sseDataFrames(chunks));
        }
        if (body.stream) {
          if (!res.headersSent) startStream();
          res.end(SSE_DONE);
        } else {
          recorder.firstByte();
          res.writeHead(200, { ...headers, 'content-type': 'application/json' });
          res.end(responseBody ?? '{}');
        }
        this.reportOutcome(requestId, user, plan, attempt, trace, null, performance.now() - started, firstTokenMs, end);
        return;
      } catch (thrown) {
        const error = AisbfError.from(thrown);
        this.reportOutcome(requestId, user, plan, attempt, trace, error, performance.now() - started, firstTokenMs, null);
        if (clientGone.aborted) return;
        if (res.headersSent) {
          // The client already has part of the answer: end it visibly, never replay.
          res.write(sseJson(toHttpError(error).body));
          res.end(SSE_DONE);
          return;
        }
        failed.push({ candidate: attempt.candidate, error });
        lastError = error;
        if (!error.retryable) break;
      }
    }
    const failure =
      lastError ?? new AisbfError('gateway_timeout', `no candidate answered within the request deadline (${this.env.AISBF_REQUEST_DEADLINE_MS} ms)`);
    const headers = routeHeaders(plan, requestId, null, failed);
    if (failed.length > 0) {
      const last = failed[failed.length - 1].candidate;
      headers['x-aisbf-provider'] = headerSafe(last.providerId);
      headers['x-aisbf-model'] = headerSafe(last.model);
    }
    writeRawError(res, failure, { ...headers, 'x-aisbf-attempts': String(attempts) });
  }

  private reportOutcome(
    requestId: string,
    user: AuthenticatedUser,
    plan: RoutePlan,
    attempt: Attempt,
    trace: AttemptTrace,
    error: AisbfError | null,
    latencyMs: number,
    ttftMs: number | null,
    end: ChatEnd | null,
  ): void {
    trace.finish(error, latencyMs, end);
    this.outcomes.report({
      requestId,
      username: user.username,
      routeId: plan.routeId,
      candidate: attempt.candidate,
      attempt: attempt.number,
      error,
      latencyMs,
      ttftMs,
      promptTokens: end?.usage?.prompt_tokens ?? null,
      completionTokens: end?.usage?.completion_tokens ?? null,
    });
    if (end?.usage) {
      // Limits must never fail an answer already given; Redis trouble falls back inside the limiter.
      this.limits.debitTokens(user, end.usage.prompt_tokens + end.usage.completion_tokens).catch(() => undefined);
    }
  }
}
