import { edgeEnvSchema } from '@aisbf/edge-api';
import { routeStateEnvSchema } from '@aisbf/route-resolver';

/**
 * The embedded mode reads the edge's variables and where routing state lives (memory unless
 * REDIS_URL is set); the other services take their defaults.
 */
export const standaloneEnvSchema = edgeEnvSchema.merge(routeStateEnvSchema);
