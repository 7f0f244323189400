import { z } from 'zod';
import { generateApiToken, SecretBox } from '@aisbf/secrets';
import { ConfigStore } from './config-store';
import { FileConfigStore, parseConfigFile, readConfigFile } from './config-file/file-config-store';
import { demoConfig } from './config-file/demo-config';

export const configSourceEnvSchema = z.object({
  AISBF_CONFIG: z.string().optional(),
  AISBF_BOOTSTRAP_USER: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/).default('demo'),
  AISBF_BOOTSTRAP_TOKEN: z.string().min(20, 'AISBF_BOOTSTRAP_TOKEN must be at least 20 characters').optional(),
});
export type ConfigSourceEnv = z.infer<typeof configSourceEnvSchema>;

export interface OpenedConfigSource {
  store: ConfigStore;
  /** Set when a token was generated for the bootstrap user: shown once, never stored in clear. */
  generatedToken?: string;
  description: string;
}

/**
 * AISBF_CONFIG names the declarative file; without it, a bootstrap user with the built-in demo
 * provider (its token from AISBF_BOOTSTRAP_TOKEN, or generated when `allowGeneratedToken`).
 */
export function openConfigSource(
  env: ConfigSourceEnv,
  box: SecretBox,
  processEnv: Record<string, string | undefined>,
  allowGeneratedToken: boolean,
): OpenedConfigSource {
  if (env.AISBF_CONFIG) {
    return { store: new FileConfigStore(readConfigFile(env.AISBF_CONFIG), box, processEnv), description: `file ${env.AISBF_CONFIG}` };
  }
  if (!env.AISBF_BOOTSTRAP_TOKEN && !allowGeneratedToken) {
    throw new Error('set AISBF_CONFIG (a configuration file) or AISBF_BOOTSTRAP_TOKEN: services of one installation must agree on users');
  }
  const token = env.AISBF_BOOTSTRAP_TOKEN ?? generateApiToken();
  const file = parseConfigFile(demoConfig(env.AISBF_BOOTSTRAP_USER, token), 'bootstrap configuration');
  return {
    store: new FileConfigStore(file, box, processEnv),
    generatedToken: env.AISBF_BOOTSTRAP_TOKEN ? undefined : token,
    description: `bootstrap user ${env.AISBF_BOOTSTRAP_USER} with the built-in demo provider`,
  };
}
