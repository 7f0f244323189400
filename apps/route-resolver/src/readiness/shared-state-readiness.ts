import type { ReadinessCheck } from '@aisbf/telemetry';

/** State the resolver replicas share through Redis, with a local copy while Redis is away. */
export interface SharedState {
  /** Whether the shared copy is reachable now; null when this store keeps its state in this process only. */
  sharedStateReady(): boolean | null;
}

/**
 * The readiness check of a shared store: reported in /readyz (and aisbf_dependency_up) so an
 * operator sees cooldowns or autoselect decisions running per replica, but never fatal, since the
 * store carries on with its local copy. No check at all for a process-local store (embedded mode).
 */
export function sharedStateCheck(store: SharedState): ReadinessCheck | null {
  if (store.sharedStateReady() === null) return null;
  return () => store.sharedStateReady() === true;
}
