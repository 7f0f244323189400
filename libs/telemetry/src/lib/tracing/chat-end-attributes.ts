import type { Span } from '@opentelemetry/api';
import type { ChatEnd } from '@aisbf/contracts';
import { AISBF_ATTR, GEN_AI } from './span-attributes';

/** What a finished chat tells a span: the answering model, why it stopped, the tokens used. */
export function setChatEndAttributes(span: Span, end: ChatEnd): void {
  if (end.upstreamStatus !== undefined) span.setAttribute(AISBF_ATTR.upstreamStatus, end.upstreamStatus);
  if (end.responseModel) span.setAttribute(GEN_AI.responseModel, end.responseModel);
  if (end.finishReason) span.setAttribute(GEN_AI.responseFinishReasons, [end.finishReason]);
  if (end.usage) {
    span.setAttributes({ [GEN_AI.usageInputTokens]: end.usage.prompt_tokens, [GEN_AI.usageOutputTokens]: end.usage.completion_tokens });
  }
}
