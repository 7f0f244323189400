import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { circuitChangedSchema, SUBJECTS } from '@aisbf/contracts';
import { BusClient, BusServer } from '@aisbf/bus';
import { MirroredRouteStateStore } from './mirrored-route-state-store';
import { ROUTE_STATE_STORE, RouteStateStore } from './route-state-store';

/** How long a replica plans with its copy of a breaker state before reading Redis again. */
export const CIRCUIT_MIRROR_TTL_MS = 1_000;
/** Candidates whose breaker state a replica keeps a copy of. */
export const CIRCUIT_MIRROR_MAX_ENTRIES = 50_000;

/** Wraps the shared store in a mirror whose changes are announced to the other replicas. */
export function mirrorCircuits(store: RouteStateStore, bus: BusClient, origin: string = randomUUID()): MirroredRouteStateStore {
  const notify = (ref: { username: string; providerId: string; model: string }) => {
    try {
      bus.publish(SUBJECTS.routeCircuitChanged, { origin, ...ref });
    } catch {
      // The bus is away: the others' copies expire within CIRCUIT_MIRROR_TTL_MS.
    }
  };
  return new MirroredRouteStateStore(store, notify, { origin, ttlMs: CIRCUIT_MIRROR_TTL_MS, maxEntries: CIRCUIT_MIRROR_MAX_ENTRIES });
}

/** Passes the other replicas' notices to this replica's mirror, when it has one. */
@Injectable()
export class CircuitChangeListener implements OnModuleInit {
  constructor(
    private readonly bus: BusServer,
    @Inject(ROUTE_STATE_STORE) private readonly store: RouteStateStore,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (!(store instanceof MirroredRouteStateStore)) return;
    this.bus.onEvent(SUBJECTS.routeCircuitChanged, circuitChangedSchema, (notice) => store.noticed(notice), { broadcast: true });
  }
}
