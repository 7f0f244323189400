import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  AisbfError,
  Candidate,
  ConnectorEmbeddingsRequest,
  EmbeddingsEnd,
  RequestCancel,
  RouteOutcome,
  RoutePlan,
  RouteResolveRequest,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import type { EmbeddingsRequest } from '@aisbf/llm-wire';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { writeRawError } from '../errors/openai-error-response';

/** Slack over the connector's own upstream timeouts: the connector reports first, the edge is the backstop. */
const BUS_MARGIN_MS = 2_000;

/**
 * One embeddings request: resolve the route, then ask candidates in order until one answers
 * (an embeddings answer is all or nothing, so any failure before it is complete may move on).
 * The response arrives in pieces over the bus and is sent whole.
 */
@Injectable()
export class EmbeddingsRelayService {
  constructor(
    private readonly bus: BusClient,
    @Inject(EDGE_ENV) private readonly env: EdgeEnv,
  ) {}

  async resolve(user: AuthenticatedUser, body: EmbeddingsRequest): Promise<RoutePlan> {
    const request: RouteResolveRequest = { username: user.username, model: body.model, hints: { stream: false, tools: false, images: false } };
    return (await this.bus.request(SUBJECTS.routeResolve, request, { timeoutMs: this.env.AISBF_RESOLVE_TIMEOUT_MS })) as RoutePlan;
  }

  async relay(user: AuthenticatedUser, body: EmbeddingsRequest, plan: RoutePlan, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const deadline = Date.now() + this.env.AISBF_REQUEST_DEADLINE_MS;
    const abort = new AbortController();
    res.on('close', () => {
      if (res.writableFinished) return;
      abort.abort();
      const cancel: RequestCancel = { requestId, reason: 'client disconnected' };
      this.bus.publish(SUBJECTS.requestCancel(requestId), cancel);
    });
    if (res.destroyed) return;

    const attempts = Math.min(plan.candidates.length, this.env.AISBF_MAX_ATTEMPTS);
    let lastError: AisbfError | undefined;
    for (let index = 0; index < attempts && !abort.signal.aborted; index++) {
      const candidate = plan.candidates[index];
      const started = performance.now();
      try {
        const call: ConnectorEmbeddingsRequest = { requestId, candidate, body: { ...body, model: candidate.model } };
        const frames = this.bus.stream(SUBJECTS.connectorEmbeddings(candidate.pool), call, {
          firstFrameTimeoutMs: candidate.timeouts.connectMs + candidate.timeouts.firstByteMs + BUS_MARGIN_MS,
          idleTimeoutMs: candidate.timeouts.idleMs + BUS_MARGIN_MS,
          deadline,
          signal: abort.signal,
        });
        const pieces: Uint8Array[] = [];
        let end: EmbeddingsEnd | null = null;
        for await (const frame of frames) {
          if (frame.kind === 'end') end = frame.payload as EmbeddingsEnd;
          else pieces.push(frame.data);
        }
        res.writeHead(200, { ...this.headers(plan, requestId, candidate, index + 1), 'content-type': 'application/json' });
        res.end(Buffer.concat(pieces));
        this.report(requestId, user, plan, candidate, index + 1, null, performance.now() - started, end);
        return;
      } catch (thrown) {
        const error = AisbfError.from(thrown);
        this.report(requestId, user, plan, candidate, index + 1, error, performance.now() - started, null);
        lastError = error;
        if (!error.retryable) break;
      }
    }
    if (abort.signal.aborted) return;
    const failure = lastError ?? new AisbfError('service_unavailable', 'no candidate could serve this request');
    writeRawError(res, failure, { 'x-aisbf-route': plan.routeId, 'x-aisbf-request-id': requestId, 'x-aisbf-attempts': String(attempts) });
  }

  private headers(plan: RoutePlan, requestId: string, candidate: Candidate, attempt: number): Record<string, string> {
    return {
      'x-aisbf-route': plan.routeId,
      'x-aisbf-request-id': requestId,
      'x-aisbf-provider': candidate.providerId,
      'x-aisbf-model': candidate.model,
      'x-aisbf-attempts': String(attempt),
      ...(attempt > 1 ? { 'x-aisbf-failover': 'true' } : {}),
    };
  }

  private report(
    requestId: string,
    user: AuthenticatedUser,
    plan: RoutePlan,
    candidate: Candidate,
    attempt: number,
    error: AisbfError | null,
    latencyMs: number,
    end: EmbeddingsEnd | null,
  ): void {
    const outcome: RouteOutcome = {
      requestId,
      username: user.username,
      routeId: plan.routeId,
      providerId: candidate.providerId,
      model: candidate.model,
      attempt,
      ok: error === null,
      status: error ? error.status : 200,
      code: error ? error.code : null,
      retryable: error?.retryable ?? false,
      retryAfterSeconds: error?.retryAfterSeconds,
      errorCooldownSeconds: candidate.errorCooldownSeconds,
      latencyMs,
      ttftMs: null,
      promptTokens: end?.usage?.prompt_tokens ?? null,
      completionTokens: end?.usage ? 0 : null,
    };
    this.bus.publish(SUBJECTS.routeOutcome, outcome);
  }
}
