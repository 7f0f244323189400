import { z } from 'zod';

export const routeNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'ids are 1-128 characters of letters, digits, . _ : - and start with a letter or digit');

export const capabilitySchema = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'capabilities are lower_snake_case words');

export const providerModelSchema = z
  .object({
    name: z.string().min(1).max(256),
    description: z.string().max(2000).optional(),
    capabilities: z.array(capabilitySchema).max(32).optional(),
  })
  .strict();

export const providerTimeoutsSchema = z
  .object({
    connect_ms: z.number().int().positive().max(120_000).optional(),
    first_byte_ms: z.number().int().positive().max(600_000).optional(),
    idle_ms: z.number().int().positive().max(600_000).optional(),
    total_ms: z.number().int().positive().max(3_600_000).optional(),
  })
  .strict();

/** One provider in AISBF's providers.json shape: a wire (endpoint + credentials + model names). */
export const providerSchema = z
  .object({
    type: z.enum(['openai', 'anthropic', 'gemini', 'ollama', 'demo']),
    endpoint: z.string().min(1).max(2048),
    api_key: z.string().max(8192).optional(),
    /** Name of an environment variable holding the key (declarative files keep secrets out of git). */
    api_key_env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
    models: z.array(providerModelSchema).min(1).max(1000),
    description: z.string().max(2000).optional(),
    /** Declared private: data sent here stays on infrastructure the user controls. */
    private: z.boolean().optional(),
    /** Connector pool serving this provider (a LAN pool next to a local backend). */
    pool: routeNameSchema.optional(),
    timeouts: providerTimeoutsSchema.optional(),
  })
  .strict()
  .superRefine((provider, ctx) => {
    if (provider.type === 'demo') return;
    let url: URL;
    try {
      url = new URL(provider.endpoint);
    } catch {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endpoint'], message: 'endpoint must be an absolute http(s) URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endpoint'], message: 'endpoint must use http or https' });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['endpoint'], message: 'put credentials in api_key, not in the URL' });
    }
    const seen = new Set<string>();
    provider.models.forEach((model, index) => {
      if (seen.has(model.name)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['models', index, 'name'], message: `duplicate model ${model.name}` });
      }
      seen.add(model.name);
    });
  });
export type ProviderConfig = z.infer<typeof providerSchema>;

export const providersDocumentSchema = z.object({ providers: z.record(routeNameSchema, providerSchema) }).strict();
export type ProvidersDocument = z.infer<typeof providersDocumentSchema>;
