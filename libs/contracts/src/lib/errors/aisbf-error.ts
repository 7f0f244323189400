import { z } from 'zod';
import { ERROR_CODES, ErrorCode } from './error-codes';

/** The typed error payload that crosses the bus. */
export const errorPayloadSchema = z.object({
  code: z.string(),
  status: z.number().int(),
  message: z.string(),
  retryable: z.boolean(),
  param: z.string().nullable().optional(),
  retryAfterSeconds: z.number().nonnegative().optional(),
  upstreamStatus: z.number().int().optional(),
});
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

export interface AisbfErrorOptions {
  status?: number;
  retryable?: boolean;
  param?: string | null;
  retryAfterSeconds?: number;
  upstreamStatus?: number;
}

/** An error every layer understands: raised by handlers, carried over the bus, mapped to HTTP at the edge. */
export class AisbfError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | null;
  readonly retryAfterSeconds?: number;
  readonly upstreamStatus?: number;

  constructor(code: ErrorCode, message: string, options: AisbfErrorOptions = {}) {
    super(message);
    this.name = 'AisbfError';
    this.code = code;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.retryable = options.retryable ?? false;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      status: this.status,
      message: this.message,
      retryable: this.retryable,
      param: this.param,
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
      ...(this.upstreamStatus !== undefined ? { upstreamStatus: this.upstreamStatus } : {}),
    };
  }

  static fromPayload(payload: ErrorPayload): AisbfError {
    const code = (payload.code in ERROR_CODES ? payload.code : 'internal_error') as ErrorCode;
    const error = new AisbfError(code, payload.message, payload);
    (error as { code: string }).code = payload.code;
    return error;
  }

  /** Anything thrown becomes an AisbfError; unknown errors never leak their message. */
  static from(error: unknown): AisbfError {
    if (error instanceof AisbfError) return error;
    return new AisbfError('internal_error', 'internal error');
  }
}

/** The OpenAI error type for a code (used at the HTTP edge only). */
export function openAiErrorType(code: string, status: number): string {
  if (Object.hasOwn(ERROR_CODES, code)) return ERROR_CODES[code as ErrorCode].type;
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}
