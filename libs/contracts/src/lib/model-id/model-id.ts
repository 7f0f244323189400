/**
 * The model-id grammar clients use:
 *   user-provider/{providerId}/{model}   (model may itself contain '/')
 *   user-rotation/{name}
 *   user-autoselect/{name}
 */
export type RouteKind = 'provider' | 'rotation' | 'autoselect';

export type ModelId =
  | { kind: 'provider'; providerId: string; model: string }
  | { kind: 'rotation'; name: string }
  | { kind: 'autoselect'; name: string };

const PREFIXES: Record<string, RouteKind> = {
  'user-provider': 'provider',
  'user-rotation': 'rotation',
  'user-autoselect': 'autoselect',
};

/** Names of providers, rotations and autoselects: stable ids, no slashes. */
export const ROUTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function parseModelId(raw: string): ModelId | null {
  const slash = raw.indexOf('/');
  if (slash <= 0) return null;
  const kind = PREFIXES[raw.slice(0, slash)];
  if (!kind) return null;
  const rest = raw.slice(slash + 1);
  if (kind === 'provider') {
    const second = rest.indexOf('/');
    if (second <= 0) return null;
    const providerId = rest.slice(0, second);
    const model = rest.slice(second + 1);
    if (!ROUTE_NAME_PATTERN.test(providerId) || model.length === 0 || model.length > 256) return null;
    return { kind, providerId, model };
  }
  if (!ROUTE_NAME_PATTERN.test(rest)) return null;
  return { kind, name: rest };
}

export function formatModelId(id: ModelId): string {
  switch (id.kind) {
    case 'provider':
      return `user-provider/${id.providerId}/${id.model}`;
    case 'rotation':
      return `user-rotation/${id.name}`;
    case 'autoselect':
      return `user-autoselect/${id.name}`;
  }
}
