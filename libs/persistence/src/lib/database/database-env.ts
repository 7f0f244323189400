import { z } from 'zod';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Where users, tokens and routes are stored. */
export const databaseEnvSchema = z.object({
  /** mysql://user:password@host:3306/database (MySQL or MariaDB). Without it: the embedded SQLite, or the file alone. */
  DATABASE_URL: z.string().regex(/^mysql:\/\//, 'DATABASE_URL must be a mysql:// URL').optional(),
  /** The embedded mode's data directory (its SQLite file lives there). */
  AISBF_DATA_DIR: z.string().default('./data'),
  /** Apply pending migrations at start-up (the embedded mode always does); otherwise run `aisbf migrate`. */
  AISBF_DB_MIGRATE: flag(false),
  /** Let every user's providers point at loopback/LAN addresses (admins' and file users' always may). */
  AISBF_TRUST_USER_ENDPOINTS: flag(false),
  /** How often usage events and token `last used` times are written. */
  AISBF_USAGE_FLUSH_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
});
export type DatabaseEnv = z.infer<typeof databaseEnvSchema>;
