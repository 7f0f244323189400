import type { ZodType, ZodTypeDef } from 'zod';

export class InvalidEnvironmentError extends Error {}

/** Validates the environment into a typed object, naming every variable that is wrong. */
export function parseEnv<T>(schema: ZodType<T, ZodTypeDef, unknown>, env: Record<string, string | undefined>): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
  throw new InvalidEnvironmentError(`invalid environment:\n${problems}`);
}
