import { z } from 'zod';
import { capabilitySchema, routeNameSchema } from './provider.schema';

/**
 * User patterns run on RE2 (linear time, no catastrophic backtracking), which has no lookaround
 * and no backreferences: say so when the policy is loaded rather than when a request arrives.
 */
const RE2_UNSUPPORTED = /\(\?<?[=!]|\\[1-9]|\\k</;
export const customPatternSchema = z
  .string()
  .min(1)
  .max(500)
  .refine((pattern) => !RE2_UNSUPPORTED.test(pattern), {
    message: 'custom_patterns use RE2 syntax: lookahead, lookbehind and backreferences are not supported',
  });

export const autoselectModelSchema = z
  .object({
    model_id: z.string().min(1).max(300),
    description: z.string().max(4000).default(''),
    privacy: z.boolean().default(false),
    priority: z.number().int().min(0).max(1000).optional(),
    capabilities: z.array(capabilitySchema).max(32).optional(),
  })
  .strict();

/** The seed's autoselect policy document. */
export const autoselectSchema = z
  .object({
    model_name: routeNameSchema.optional(),
    selection_model: z.string().min(1).max(300).default('local'),
    fallback: z.string().min(1).max(300),
    classify_privacy: z.boolean().default(true),
    classify_semantic: z.boolean().default(true),
    available_models: z.array(autoselectModelSchema).min(1).max(50),
    custom_patterns: z.array(customPatternSchema).max(50).optional(),
    custom_keywords: z.array(z.string().min(1).max(200)).max(200).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict();
export type AutoselectConfig = z.infer<typeof autoselectSchema>;

/** The seed's document: policies keyed by name at the top level. */
export const autoselectDocumentSchema = z.record(routeNameSchema, autoselectSchema);
export type AutoselectDocument = z.infer<typeof autoselectDocumentSchema>;
