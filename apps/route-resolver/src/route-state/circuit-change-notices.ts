import { randomUUID } from 'node:crypto';
import { circuitChangedSchema, SUBJECTS } from '@aisbf/contracts';
import type { BusClient, BusServer } from '@aisbf/bus';
import { MirroredRouteStateStore } from './mirrored-route-state-store';
import { CandidateRef, SharedRouteStateStore } from './route-state-store';

/** How long a replica plans with its copy of a breaker state before reading Redis again. */
export const CIRCUIT_MIRROR_TTL_MS = 1_000;
/** Candidates whose breaker state a replica keeps a copy of. */
export const CIRCUIT_MIRROR_MAX_ENTRIES = 50_000;

/**
 * Wraps the shared store in a mirror: its changes are announced on aisbf.route.circuit.changed,
 * and the other replicas' announcements drop its copies.
 */
export function mirrorCircuits(
  store: SharedRouteStateStore,
  bus: { client: BusClient; server: BusServer },
  origin: string = randomUUID(),
): MirroredRouteStateStore {
  const notify = (ref: CandidateRef) => {
    try {
      bus.client.publish(SUBJECTS.routeCircuitChanged, { origin, ...ref });
    } catch {
      // The bus is away: the others' copies expire within CIRCUIT_MIRROR_TTL_MS.
    }
  };
  const mirror = new MirroredRouteStateStore(store, notify, { origin, ttlMs: CIRCUIT_MIRROR_TTL_MS, maxEntries: CIRCUIT_MIRROR_MAX_ENTRIES });
  bus.server.onEvent(SUBJECTS.routeCircuitChanged, circuitChangedSchema, (notice) => mirror.noticed(notice), { broadcast: true });
  return mirror;
}
