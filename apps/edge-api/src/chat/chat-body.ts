import { AisbfError } from '@aisbf/contracts';
import { ChatCompletionRequest, chatCompletionRequestSchema, formatParamPath } from '@aisbf/llm-wire';

/** Validates the whole OpenAI body; the first problem is reported with the parameter it concerns. */
export function parseChatBody(raw: unknown): ChatCompletionRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AisbfError('invalid_request', 'the request body must be a JSON object');
  }
  const result = chatCompletionRequestSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = formatParamPath(issue.path);
  throw new AisbfError('invalid_request', param ? `invalid '${param}': ${issue.message}` : issue.message, { param: param || null });
}
