import type { ConfigFileInput } from './config-file.schema';

export const DEMO_PROVIDER_ID = 'demo';

/**
 * The configuration of a fresh install with no AISBF_CONFIG: one user and AISBF's built-in demo
 * provider, which answers locally (no model behind it) so the first curl works offline.
 */
export function demoConfig(username: string, token: string): ConfigFileInput {
  return {
    users: {
      [username]: {
        role: 'admin',
        tokens: [{ name: 'bootstrap', token }],
        providers: {
          [DEMO_PROVIDER_ID]: {
            type: 'demo',
            endpoint: 'builtin:demo',
            description: 'AISBF built-in DEMO provider: canned local answers, not a language model',
            private: true,
            models: [
              {
                name: 'echo',
                description: 'Demo model: answers with a description of the route your request took',
                capabilities: ['chat', 'tool_use'],
              },
            ],
          },
        },
      },
    },
  };
}
