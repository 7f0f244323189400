import type { ZodType, ZodTypeDef } from 'zod';
import { AisbfError } from '@aisbf/contracts';
import { formatParamPath } from '../chat-request/chat-request.schema';

/** Validates a request body; the first problem is reported with the parameter it concerns, as OpenAI does. */
export function parseRequestBody<T>(schema: ZodType<T, ZodTypeDef, unknown>, raw: unknown): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new AisbfError('invalid_request', 'the request body must be a JSON object');
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = formatParamPath(issue.path);
  throw new AisbfError('invalid_request', param ? `invalid '${param}': ${issue.message}` : issue.message, { param: param || null });
}
