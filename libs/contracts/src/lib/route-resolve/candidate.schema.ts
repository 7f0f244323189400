import { z } from 'zod';

export const PROVIDER_TYPES = ['openai', 'anthropic', 'gemini', 'ollama', 'demo'] as const;
export const providerTypeSchema = z.enum(PROVIDER_TYPES);
export type ProviderType = z.infer<typeof providerTypeSchema>;

export const upstreamTimeoutsSchema = z.object({
  connectMs: z.number().int().positive(),
  firstByteMs: z.number().int().positive(),
  idleMs: z.number().int().positive(),
  totalMs: z.number().int().positive(),
});
export type UpstreamTimeouts = z.infer<typeof upstreamTimeoutsSchema>;

/** One backend a request may be sent to: everything a connector needs, with the key sealed. */
export const candidateSchema = z.object({
  providerId: z.string(),
  providerType: providerTypeSchema,
  model: z.string(),
  endpoint: z.string(),
  pool: z.string(),
  /** The provider key, AES-256-GCM sealed with the cluster secret; only a connector opens it. */
  sealedKey: z.string().nullable(),
  timeouts: upstreamTimeoutsSchema,
  /** Loopback/private endpoints allowed for this provider (owner is trusted or the pool is a LAN pool). */
  allowPrivateEndpoint: z.boolean().default(false),
  errorCooldownSeconds: z.number().nonnegative().optional(),
  weight: z.number().positive().optional(),
});
export type Candidate = z.infer<typeof candidateSchema>;
