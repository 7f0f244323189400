import type { CompiledProvider, UserRouteConfig } from '@aisbf/routing';

interface EncodedRouteConfig {
  username: string;
  trustedEndpoints: boolean;
  providers: Array<Omit<CompiledProvider, 'models'> & { models: Array<[string, CompiledProvider['models'] extends Map<string, infer M> ? M : never]> }>;
  rotations: Array<[string, unknown]>;
  autoselects: Array<[string, unknown]>;
}

/** UserRouteConfig as JSON for the shared cache (maps become entry lists; keys stay sealed). */
export function encodeRouteConfig(config: UserRouteConfig | null): string {
  if (!config) return 'null';
  const encoded: EncodedRouteConfig = {
    username: config.username,
    trustedEndpoints: config.trustedEndpoints,
    providers: [...config.providers.values()].map((p) => ({ ...p, models: [...p.models] })),
    rotations: [...config.rotations],
    autoselects: [...config.autoselects],
  };
  return JSON.stringify(encoded);
}

export function decodeRouteConfig(text: string): UserRouteConfig | null {
  const encoded = JSON.parse(text) as EncodedRouteConfig | null;
  if (!encoded) return null;
  return {
    username: encoded.username,
    trustedEndpoints: encoded.trustedEndpoints,
    providers: new Map(encoded.providers.map((p) => [p.id, { ...p, models: new Map(p.models) }])),
    rotations: new Map(encoded.rotations) as UserRouteConfig['rotations'],
    autoselects: new Map(encoded.autoselects) as UserRouteConfig['autoselects'],
  };
}
