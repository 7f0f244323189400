import { z } from 'zod';
import { capabilitySchema, routeNameSchema } from './provider.schema';

const weightSchema = z.number().positive('weight must be a positive number').finite().max(1_000_000);
const cooldownSchema = z.number().nonnegative('error_cooldown cannot be negative').finite().max(86_400);

/** The seed's candidate shape: one provider model with its weight and cooldown. */
const flatCandidateSchema = z
  .object({
    provider_id: routeNameSchema,
    model: z.string().min(1).max(256),
    weight: weightSchema.default(1),
    error_cooldown: cooldownSchema.optional(),
  })
  .strict();

/** AISBF's nested shape: one provider with several of its models. */
const nestedCandidateSchema = z
  .object({
    provider_id: routeNameSchema,
    models: z
      .array(
        z
          .object({ name: z.string().min(1).max(256), weight: weightSchema.default(1), error_cooldown: cooldownSchema.optional() })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** Another route (a rotation) as one weighted member of this pool. */
const routeCandidateSchema = z
  .object({ model_id: z.string().min(1).max(300), weight: weightSchema.default(1), error_cooldown: cooldownSchema.optional() })
  .strict();

export const rotationSchema = z
  .object({
    model_name: routeNameSchema.optional(),
    providers: z.array(z.union([flatCandidateSchema, nestedCandidateSchema, routeCandidateSchema])).min(1).max(100),
    strategy: z.enum(['weighted', 'priority']).default('weighted'),
    privacy: z.boolean().default(false),
    capabilities: z.array(capabilitySchema).max(32).optional(),
    description: z.string().max(2000).optional(),
  })
  .strict();
export type RotationConfig = z.infer<typeof rotationSchema>;
export type RotationConfigInput = z.input<typeof rotationSchema>;

export const rotationsDocumentSchema = z.object({ rotations: z.record(routeNameSchema, rotationSchema) }).strict();
export type RotationsDocument = z.infer<typeof rotationsDocumentSchema>;
