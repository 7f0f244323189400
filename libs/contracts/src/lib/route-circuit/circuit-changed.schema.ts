import { z } from 'zod';

/**
 * aisbf.route.circuit.changed (broadcast): a resolver replica changed a candidate's cooldown
 * state in Redis; the others drop their copy of it and read it again on the next request.
 */
export const circuitChangedSchema = z.object({
  /** The replica that changed it, which keeps its own copy. */
  origin: z.string().min(1).max(64),
  username: z.string().min(1).max(200),
  providerId: z.string().min(1).max(200),
  model: z.string().min(1).max(500),
});
export type CircuitChanged = z.infer<typeof circuitChangedSchema>;
