import type { ServerResponse } from 'node:http';
import { AisbfError, openAiErrorType } from '@aisbf/contracts';
import { openAiErrorBody, OpenAiErrorBody } from '@aisbf/llm-wire';

export interface HttpErrorResponse {
  status: number;
  body: OpenAiErrorBody;
  headers: Record<string, string>;
}

/** The one mapping from AISBF errors to what an OpenAI client receives. */
export function toHttpError(error: AisbfError): HttpErrorResponse {
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  const body = openAiErrorBody(error.message, openAiErrorType(error.code, error.status), error.code, error.param);
  // Configuration writes name every problem with its JSON path, not only the first.
  const problems = (error as { problems?: unknown }).problems;
  if (Array.isArray(problems)) (body.error as Record<string, unknown>).problems = problems;
  return { status: error.status, body, headers };
}

/** For responses already taken over from the framework (streams). */
export function writeRawError(res: ServerResponse, error: AisbfError, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const http = toHttpError(error);
  res.writeHead(http.status, { 'content-type': 'application/json', ...extraHeaders, ...http.headers });
  res.end(JSON.stringify(http.body));
}
