import { compileProvider, UserRouteConfig } from '../config/user-route-config';
import type { ProviderConfig } from '../config/provider.schema';
import { RotationConfigInput, rotationSchema } from '../config/rotation.schema';
import type { RouteReference } from './rotation-tree';

/** Builds a user's route configuration for specs: providers by id, rotations in their file shape. */
export function routeConfigFixture(
  providers: Record<string, Partial<ProviderConfig> & { models: ProviderConfig['models'] }>,
  rotations: Record<string, RotationConfigInput> = {},
): UserRouteConfig {
  return {
    username: 'alice',
    trustedEndpoints: true,
    providers: new Map(
      Object.entries(providers).map(([id, provider]) => [
        id,
        compileProvider(id, { type: 'openai', endpoint: `http://${id}.test/v1`, ...provider } as ProviderConfig, null),
      ]),
    ),
    rotations: new Map(Object.entries(rotations).map(([name, rotation]) => [name, rotationSchema.parse(rotation)])),
    autoselects: new Map(),
  };
}

/** The route-id grammar, as the contracts define it, for specs of a lib that cannot import them. */
export function parseReferenceFixture(raw: string): RouteReference | null {
  const [prefix, ...rest] = raw.split('/');
  if (prefix === 'user-rotation' && rest.length === 1) return { kind: 'rotation', name: rest[0] };
  if (prefix === 'user-autoselect' && rest.length === 1) return { kind: 'autoselect', name: rest[0] };
  if (prefix === 'user-provider' && rest.length >= 2) return { kind: 'provider', providerId: rest[0], model: rest.slice(1).join('/') };
  return null;
}

/** The seed's coding-production rotation, verbatim, over three providers. */
export function seedConfigFixture(): UserRouteConfig {
  return routeConfigFixture(
    {
      'coderai-local': { private: true, models: [{ name: 'qwen2.5-coder:32b' }] },
      'runpod-gpu-a': { models: [{ name: 'deepseek-coder-v2' }] },
      'openai-prod': { models: [{ name: 'gpt-4.1-mini' }] },
    },
    {
      'coding-production': {
        model_name: 'coding-production',
        providers: [
          { provider_id: 'coderai-local', model: 'qwen2.5-coder:32b', weight: 6, error_cooldown: 60 },
          { provider_id: 'runpod-gpu-a', model: 'deepseek-coder-v2', weight: 3, error_cooldown: 120 },
          { provider_id: 'openai-prod', model: 'gpt-4.1-mini', weight: 1, error_cooldown: 300 },
        ],
        privacy: true,
        capabilities: ['chat', 'coding', 'tool_use'],
      },
    },
  );
}
