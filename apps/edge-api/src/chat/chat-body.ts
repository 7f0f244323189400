import { ChatCompletionRequest, chatCompletionRequestSchema, parseRequestBody } from '@aisbf/llm-wire';

/** Validates the whole OpenAI body; the first problem is reported with the parameter it concerns. */
export function parseChatBody(raw: unknown): ChatCompletionRequest {
  return parseRequestBody(chatCompletionRequestSchema, raw);
}
