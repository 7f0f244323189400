import type { AutoselectConfig } from './autoselect.schema';
import type { ProviderConfig } from './provider.schema';
import type { RotationConfig } from './rotation.schema';

export interface ResolvedTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: ResolvedTimeouts = { connectMs: 5_000, firstByteMs: 60_000, idleMs: 30_000, totalMs: 600_000 };

export interface CompiledModel {
  name: string;
  description: string | null;
  capabilities: string[];
}

/** A provider ready for routing: the key stays sealed, defaults applied. */
export interface CompiledProvider {
  id: string;
  type: ProviderConfig['type'];
  endpoint: string;
  sealedKey: string | null;
  pool: string;
  private: boolean;
  description: string | null;
  timeouts: ResolvedTimeouts;
  models: Map<string, CompiledModel>;
}

/** Everything the resolver needs about one user's routes, compiled once and cached. */
export interface UserRouteConfig {
  username: string;
  /** Loopback/LAN endpoints allowed (admins and operator-declared configuration). */
  trustedEndpoints: boolean;
  providers: Map<string, CompiledProvider>;
  rotations: Map<string, RotationConfig>;
  autoselects: Map<string, AutoselectConfig>;
}

export function compileProvider(id: string, provider: ProviderConfig, sealedKey: string | null): CompiledProvider {
  const t = provider.timeouts ?? {};
  return {
    id,
    type: provider.type,
    endpoint: provider.endpoint.replace(/\/+$/, ''),
    sealedKey,
    pool: provider.pool ?? 'default',
    private: provider.private ?? false,
    description: provider.description ?? null,
    timeouts: {
      connectMs: t.connect_ms ?? DEFAULT_TIMEOUTS.connectMs,
      firstByteMs: t.first_byte_ms ?? DEFAULT_TIMEOUTS.firstByteMs,
      idleMs: t.idle_ms ?? DEFAULT_TIMEOUTS.idleMs,
      totalMs: t.total_ms ?? DEFAULT_TIMEOUTS.totalMs,
    },
    models: new Map(
      provider.models.map((m) => [m.name, { name: m.name, description: m.description ?? null, capabilities: m.capabilities ?? [] }]),
    ),
  };
}
