import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  AisbfError,
  Candidate,
  ChatEnd,
  ConnectorChatRequest,
  RequestCancel,
  RouteOutcome,
  RoutePlan,
  RouteResolveRequest,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { ChatCompletionRequest, requestHints, SSE_DONE, sseDataFrame, sseJson } from '@aisbf/llm-wire';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { toHttpError, writeRawError } from '../errors/openai-error-response';

/** Slack over the connector's own upstream timeouts: the connector reports first, the edge is the backstop. */
const BUS_MARGIN_MS = 2_000;

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
  ) {}

  async resolve(user: AuthenticatedUser, body: ChatCompletionRequest): Promise<RoutePlan> {
    const request: RouteResolveRequest = { username: user.username, model: body.model, hints: requestHints(body) };
    return (await this.bus.request(SUBJECTS.routeResolve, request, { timeoutMs: this.env.AISBF_RESOLVE_TIMEOUT_MS })) as RoutePlan;
  }

  async relay(user: AuthenticatedUser, body: ChatCompletionRequest, plan: RoutePlan, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const deadline = Date.now() + this.env.AISBF_REQUEST_DEADLINE_MS;
    const abort = new AbortController();
    res.on('close', () => {
      if (res.writableFinished) return;
      abort.abort();
      const cancel: RequestCancel = { requestId, reason: 'client disconnected' };
      this.bus.publish(SUBJECTS.requestCancel(requestId), cancel);
    });
    // A client gone while the route was resolved costs no upstream call at all.
    if (res.destroyed) return;

    const maxAttempts = Math.min(plan.candidates.length, this.env.AISBF_MAX_ATTEMPTS);
    let lastError: AisbfError | undefined;
    for (let index = 0; index < maxAttempts; index++) {
      const attempt: Attempt = { candidate: plan.candidates[index], number: index + 1 };
      const headers = this.routeHeaders(plan, attempt, requestId);
      const started = performance.now();
      let firstByteMs: number | null = null;
      let end: ChatEnd | null = null;
      let responseBody: Uint8Array | null = null;
      try {
        const call: ConnectorChatRequest = { requestId, candidate: attempt.candidate, body: { ...body, model: attempt.candidate.model } };
        const timeouts = attempt.candidate.timeouts;
        const frames = this.bus.stream(SUBJECTS.connectorChat(attempt.candidate.pool), call, {
          firstFrameTimeoutMs: timeouts.connectMs + timeouts.firstByteMs + BUS_MARGIN_MS,
          idleTimeoutMs: timeouts.idleMs + BUS_MARGIN_MS,
          deadline,
          signal: abort.signal,
        });
        for await (const frame of frames) {
          if (frame.kind === 'end') {
            end = frame.payload as ChatEnd;
            break;
          }
          if (firstByteMs === null) firstByteMs = performance.now() - started;
          if (body.stream) {
            if (!res.headersSent) {
              res.writeHead(200, {
                ...headers,
                'content-type': 'text/event-stream; charset=utf-8',
                'cache-control': 'no-cache, no-transform',
                connection: 'keep-alive',
                'x-accel-buffering': 'no',
              });
            }
            res.write(sseDataFrame(frame.data));
          } else {
            responseBody = frame.data;
          }
        }
        if (body.stream) {
          if (!res.headersSent) res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8' });
          res.end(SSE_DONE);
        } else {
          res.writeHead(200, { ...headers, 'content-type': 'application/json' });
          res.end(responseBody ?? '{}');
        }
        this.reportOutcome(requestId, user, plan, attempt, null, performance.now() - started, firstByteMs, end);
        return;
      } catch (thrown) {
        const error = AisbfError.from(thrown);
        this.reportOutcome(requestId, user, plan, attempt, error, performance.now() - started, firstByteMs, null);
        if (abort.signal.aborted) return;
        if (res.headersSent) {
          // The client already has part of the answer: end it visibly, never replay.
          res.write(sseJson(toHttpError(error).body));
          res.end(SSE_DONE);
          return;
        }
        lastError = error;
        if (!error.retryable) break;
      }
    }
    const failure = lastError ?? new AisbfError('service_unavailable', 'no candidate could serve this request');
    writeRawError(res, failure, { ...this.routeHeaders(plan, null, requestId), 'x-aisbf-attempts': String(maxAttempts) });
  }

  private routeHeaders(plan: RoutePlan, attempt: Attempt | null, requestId: string): Record<string, string> {
    const headers: Record<string, string> = { 'x-aisbf-route': plan.routeId, 'x-aisbf-request-id': requestId };
    if (attempt) {
      headers['x-aisbf-provider'] = attempt.candidate.providerId;
      headers['x-aisbf-model'] = attempt.candidate.model;
      headers['x-aisbf-attempts'] = String(attempt.number);
      if (attempt.number > 1) headers['x-aisbf-failover'] = 'true';
    }
    return headers;
  }

  private reportOutcome(
    requestId: string,
    user: AuthenticatedUser,
    plan: RoutePlan,
    attempt: Attempt,
    error: AisbfError | null,
    latencyMs: number,
    ttftMs: number | null,
    end: ChatEnd | null,
  ): void {
    const outcome: RouteOutcome = {
      requestId,
      username: user.username,
      routeId: plan.routeId,
      providerId: attempt.candidate.providerId,
      model: attempt.candidate.model,
      attempt: attempt.number,
      ok: error === null,
      status: error ? error.status : 200,
      code: error ? error.code : null,
      retryable: error?.retryable ?? false,
      retryAfterSeconds: error?.retryAfterSeconds,
      errorCooldownSeconds: attempt.candidate.errorCooldownSeconds,
      latencyMs,
      ttftMs,
      promptTokens: end?.usage?.prompt_tokens ?? null,
      completionTokens: end?.usage?.completion_tokens ?? null,
    };
    this.bus.publish(SUBJECTS.routeOutcome, outcome);
  }
}
