import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AisbfError, ErrorCode } from '@aisbf/contracts';
import { toHttpError } from './openai-error-response';

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'invalid_api_key',
  403: 'permission_denied',
  404: 'not_found',
  413: 'payload_too_large',
};

/** Converts anything thrown into an OpenAI-shaped error; unexpected errors are logged, never echoed. */
export function toAisbfError(error: unknown): AisbfError {
  if (error instanceof AisbfError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = HTTP_STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : 'invalid_request');
    return new AisbfError(code, status === 404 ? 'no such endpoint' : error.message, { status });
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return new AisbfError('payload_too_large', 'request body is too large');
    }
    if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return new AisbfError('invalid_request', 'Content-Type must be application/json', { status: 415 });
    }
    if (fastifyError.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) {
      return new AisbfError('invalid_request', `request body is not valid JSON: ${fastifyError.message ?? ''}`.trim());
    }
    const code = HTTP_STATUS_CODES[fastifyError.statusCode] ?? 'invalid_request';
    return new AisbfError(code, fastifyError.message ?? 'bad request', { status: fastifyError.statusCode });
  }
  return new AisbfError('internal_error', 'internal error');
}

@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('edge-api');

  catch(exception: unknown, host: ArgumentsHost): void {
    const error = toAisbfError(exception);
    if (error.status >= 500 && error.code === 'internal_error') {
      this.logger.error(`unhandled error: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const http = toHttpError(error);
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    void reply.status(http.status).headers(http.headers).send(http.body);
  }
}
