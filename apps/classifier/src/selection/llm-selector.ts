import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AisbfError,
  ClassifyMessage,
  ConnectorChatRequest,
  RequestCancel,
  SelectionCandidate,
  SelectionResult,
  Selector,
  SUBJECTS,
} from '@aisbf/contracts';
import { BusClient } from '@aisbf/bus';
import { context, SpanKind } from '@opentelemetry/api';
import { AISBF_ATTR, failSpan, GEN_AI, startSpan } from '@aisbf/telemetry';
import { parseSelectorAnswer, selectorMessages } from './selector-prompt';

type LlmSelector = Extract<Selector, { mode: 'llm' }>;

/** What the attempts so far did, for the selection span. */
interface SelectorProgress {
  attempts: number;
  /** `{providerId}/{model}` of the selection model candidate asked last. */
  candidate: string | null;
}

function answerText(body: Uint8Array | null): string {
  if (!body) return '';
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { choices?: Array<{ message?: { content?: unknown } }> };
    const content = parsed.choices?.[0]?.message?.content;
    return typeof content === 'string' ? content : '';
  } catch {
    return '';
  }
}

/**
 * Asks the policy's selection model (through a connector, like any chat) which candidate fits.
 * One budget covers every attempt; an error, a timeout or an answer that names no candidate
 * yields no choice, and the policy then uses its fallback.
 */
@Injectable()
export class LlmSelectorService {
  constructor(private readonly bus: BusClient) {}

  /**
   * The hop to the selection model is its own span, `select {model id}`, parent of the bus calls to
   * the connector: which selection model, which of its candidates answered after how many attempts,
   * and what it chose (a route id). Never the prompt built for it, nor its answer's text.
   */
  async select(selector: LlmSelector, candidates: readonly SelectionCandidate[], messages: readonly ClassifyMessage[]): Promise<SelectionResult> {
    const { span, context: active } = startSpan(`select ${selector.modelId}`, SpanKind.INTERNAL, {
      [GEN_AI.operationName]: 'chat',
      [GEN_AI.requestModel]: selector.modelId,
      'aisbf.selection.candidates': candidates.length,
    });
    const progress: SelectorProgress = { attempts: 0, candidate: null };
    try {
      const result = await context.with(active, () => this.ask(selector, candidates, messages, progress));
      span.setAttributes({
        [AISBF_ATTR.attempts]: progress.attempts,
        ...(progress.candidate ? { [AISBF_ATTR.candidate]: progress.candidate } : {}),
        'aisbf.selection.selected': result.modelId ?? '',
        'aisbf.selection.confidence': result.confidence,
        [AISBF_ATTR.outcome]: result.selectorError ?? 'ok',
      });
      if (result.selectorError) failSpan(span, result.selectorError);
      return result;
    } finally {
      span.end();
    }
  }

  private async ask(
    selector: LlmSelector,
    candidates: readonly SelectionCandidate[],
    messages: readonly ClassifyMessage[],
    progress: SelectorProgress,
  ): Promise<SelectionResult> {
    const deadline = Date.now() + selector.timeoutMs;
    const prompt = selectorMessages(candidates, messages);
    let failure = 'no selection model candidate';
    for (const candidate of selector.candidates) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        failure = `no answer within ${selector.timeoutMs} ms`;
        break;
      }
      const requestId = randomUUID();
      progress.attempts++;
      progress.candidate = `${candidate.providerId}/${candidate.model}`;
      const call: ConnectorChatRequest = {
        requestId,
        candidate,
        body: { model: candidate.model, messages: prompt, temperature: 0, max_tokens: 100, stream: false },
      };
      let body: Uint8Array | null = null;
      try {
        const frames = this.bus.stream(SUBJECTS.connectorChat(candidate.pool), call, {
          firstFrameTimeoutMs: remaining,
          idleTimeoutMs: remaining,
          deadline,
        });
        for await (const frame of frames) if (frame.kind === 'chunks') body = frame.chunks[frame.chunks.length - 1];
      } catch (error) {
        const aisbf = AisbfError.from(error);
        failure = aisbf.code === 'gateway_timeout' || Date.now() >= deadline ? `no answer within ${selector.timeoutMs} ms` : `${aisbf.code} from ${candidate.providerId}`;
        // The connector may still be waiting on the backend: let it stop.
        const cancel: RequestCancel = { requestId, reason: 'selection budget spent' };
        this.bus.publish(SUBJECTS.requestCancel(requestId), cancel);
        if (Date.now() >= deadline) break;
        continue;
      }
      const answer = parseSelectorAnswer(answerText(body), candidates);
      if (!answer) {
        // A model that answers off-format will not do better on a second try within the budget.
        return { modelId: null, method: 'llm', confidence: 0, reason: `selection model ${selector.modelId} gave no valid choice`, selectorError: 'invalid_answer' };
      }
      return {
        modelId: answer.modelId,
        method: 'llm',
        confidence: answer.confidence,
        reason: `selection model ${selector.modelId} (${candidate.providerId}/${candidate.model}) chose ${answer.modelId}`,
      };
    }
    return {
      modelId: null,
      method: 'llm',
      confidence: 0,
      reason: `selection model ${selector.modelId} failed: ${failure}`,
      selectorError: failure.startsWith('no answer') ? 'timeout' : 'error',
    };
  }
}
