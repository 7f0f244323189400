import { z } from 'zod';
import { AisbfError } from '@aisbf/contracts';
import { findDuplicateKeys, problemsFromZod } from '@aisbf/routing';
import { ConfigRejectedError, userLimitsSchema, usernameSchema } from '@aisbf/persistence';

export const createUserBodySchema = z
  .object({
    username: usernameSchema,
    role: z.enum(['admin', 'user']).default('user'),
    password: z.string().min(12, 'passwords are at least 12 characters').max(1024).optional(),
    limits: userLimitsSchema.optional(),
  })
  .strict();

export const updateUserBodySchema = z
  .object({
    disabled: z.boolean().optional(),
    role: z.enum(['admin', 'user']).optional(),
    password: z.string().min(12, 'passwords are at least 12 characters').max(1024).nullable().optional(),
    /** Replaces the user's limits as a whole; `{}` removes them. */
    limits: userLimitsSchema.optional(),
  })
  .strict();

export const createTokenBodySchema = z
  .object({
    name: z.string().min(1).max(100).default('api'),
    /** Lifetime in days; without it the token lasts until revoked. */
    expires_in_days: z.number().int().positive().max(3650).optional(),
  })
  .strict();

/** A token request: its name and, when a lifetime is given, when it expires. */
export function tokenRequest(body: unknown): { name: string; expiresAt: Date | null } {
  const input = parseBody(createTokenBodySchema, body);
  return { name: input.name, expiresAt: input.expires_in_days ? new Date(Date.now() + input.expires_in_days * 86_400_000) : null };
}

/** Admin and token bodies: 422 with the JSON path of every problem, like configuration documents. */
export function parseBody<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  if (body === undefined || body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new AisbfError('invalid_request', 'the request body must be a JSON object');
  const result = schema.safeParse(body);
  if (!result.success) throw new ConfigRejectedError('unprocessable_config', 'invalid request body', problemsFromZod(result.error));
  return result.data;
}

/** A configuration body as sent: a JSON object whose keys each appear once (422 naming each repeat). */
export function configBody(request: { body?: unknown; rawBody?: Buffer }): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AisbfError('invalid_request', 'the request body must be a JSON object');
  const duplicates = request.rawBody ? findDuplicateKeys(request.rawBody.toString('utf8')) : [];
  if (duplicates.length) throw new ConfigRejectedError('unprocessable_config', 'duplicate ids, nothing was stored', duplicates);
  return body as Record<string, unknown>;
}
