import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import {
  AisbfError,
  Candidate,
  ConnectorEmbeddingsRequest,
  EmbeddingsEnd,
  RoutePlan,
  RouteResolveRequest,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import type { EmbeddingsRequest } from '@aisbf/llm-wire';
import type { AuthenticatedUser } from '@aisbf/persistence';
import { EDGE_ENV, EdgeEnv } from '../config/edge-env';
import { writeRawError } from '../errors/openai-error-response';
import { FailedAttempt, routeHeaders } from '../http/route-headers';
import { cancelWhenClientLeaves } from '../relay/client-cancellation';
import { OutcomeBatcher } from '../relay/outcome-batcher';
import { RoutePlanClient } from '../relay/route-plan-client';

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
    private readonly outcomes: OutcomeBatcher,
    private readonly plans: RoutePlanClient,
  ) {}

  async resolve(user: AuthenticatedUser, body: EmbeddingsRequest): Promise<RoutePlan> {
    const request: RouteResolveRequest = { username: user.username, model: body.model, hints: { stream: false, tools: false, images: false } };
    return (await this.plans.resolve(request)).plan;
  }

  async relay(user: AuthenticatedUser, body: EmbeddingsRequest, plan: RoutePlan, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const deadline = Date.now() + this.env.AISBF_REQUEST_DEADLINE_MS;
    const clientGone = cancelWhenClientLeaves(res, this.bus, requestId);
    if (res.destroyed) return;

    const attempts = Math.min(plan.candidates.length, this.env.AISBF_MAX_ATTEMPTS);
    const failed: FailedAttempt[] = [];
    let lastError: AisbfError | undefined;
    for (let index = 0; index < attempts && !clientGone.aborted; index++) {
      const candidate = plan.candidates[index];
      const started = performance.now();
      try {
        const call: ConnectorEmbeddingsRequest = { requestId, candidate, body: { ...body, model: candidate.model } };
        const frames = this.bus.stream(SUBJECTS.connectorEmbeddings(candidate.pool), call, {
          firstFrameTimeoutMs: candidate.timeouts.connectMs + candidate.timeouts.firstByteMs + BUS_MARGIN_MS,
          idleTimeoutMs: candidate.timeouts.idleMs + BUS_MARGIN_MS,
          deadline,
          signal: clientGone,
        });
        const pieces: Uint8Array[] = [];
        let end: EmbeddingsEnd | null = null;
        for await (const frame of frames) {
          if (frame.kind === 'end') end = frame.payload as EmbeddingsEnd;
          else pieces.push(...frame.chunks);
        }
        res.writeHead(200, { ...routeHeaders(plan, requestId, { candidate, attempt: index + 1 }, failed), 'content-type': 'application/json' });
        res.end(Buffer.concat(pieces));
        this.report(requestId, user, plan, candidate, index + 1, null, performance.now() - started, end);
        return;
      } catch (thrown) {
        const error = AisbfError.from(thrown);
        this.report(requestId, user, plan, candidate, index + 1, error, performance.now() - started, null);
        failed.push({ candidate, error });
        lastError = error;
        if (!error.retryable) break;
      }
    }
    if (clientGone.aborted) return;
    const failure = lastError ?? new AisbfError('service_unavailable', 'no candidate could serve this request');
    writeRawError(res, failure, { ...routeHeaders(plan, requestId, null, failed), 'x-aisbf-attempts': String(failed.length) });
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
    this.outcomes.report({
      requestId,
      username: user.username,
      routeId: plan.routeId,
      candidate,
      attempt,
      error,
      latencyMs,
      ttftMs: null,
      promptTokens: end?.usage?.prompt_tokens ?? null,
      // Embeddings produce no completion tokens.
      completionTokens: end?.usage ? 0 : null,
    });
  }
}
