import { z } from 'zod';
import { userLimitsSchema } from '../user-limits.schema';
import { autoselectDocumentSchema, providerSchema, rotationSchema, routeNameSchema } from '@aisbf/routing';

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'usernames are 1-63 characters of a-z, 0-9, _ . - and start with a letter or digit');

const fileTokenSchema = z.union([
  z.string().min(20, 'tokens must be at least 20 characters'),
  z
    .object({
      name: z.string().max(100).optional(),
      token: z.string().min(20, 'tokens must be at least 20 characters').optional(),
      /** The token's SHA-256 (hex), so the file itself holds no usable token. */
      sha256: z.string().regex(/^[a-f0-9]{64}$/, 'sha256 must be 64 lowercase hex characters').optional(),
      expires_at: z.string().datetime().optional(),
    })
    .strict()
    .refine((t) => (t.token === undefined) !== (t.sha256 === undefined), { message: 'give exactly one of token or sha256' }),
]);

const fileUserSchema = z
  .object({
    role: z.enum(['admin', 'user']).default('user'),
    disabled: z.boolean().default(false),
    /**
     * The operator trusts this user's providers to reach loopback/private/link-local endpoints
     * from any pool (admins always are). Ordinary users reach them only through pools that allow them.
     */
    trusted_endpoints: z.boolean().default(false),
    tokens: z.array(fileTokenSchema).default([]),
    limits: userLimitsSchema.default({}),
    providers: z.record(routeNameSchema, providerSchema).default({}),
    rotations: z.record(routeNameSchema, rotationSchema).default({}),
    autoselect: autoselectDocumentSchema.default({}),
  })
  .strict();

/** The declarative configuration file (AISBF_CONFIG): users, their tokens and their routes. */
export const configFileSchema = z.object({ users: z.record(usernameSchema, fileUserSchema) }).strict();
export type ConfigFile = z.infer<typeof configFileSchema>;
export type ConfigFileInput = z.input<typeof configFileSchema>;
export type ConfigFileUser = z.infer<typeof fileUserSchema>;
