import { edgeEnvSchema } from '@aisbf/edge-api';
import { autoselectEnvSchema, routeStateEnvSchema } from '@aisbf/route-resolver';

/**
 * The embedded mode reads the edge's variables, autoselect's budgets and where routing state lives (memory unless
 * REDIS_URL is set); the other services take their defaults.
 */
export const standaloneEnvSchema = edgeEnvSchema.merge(routeStateEnvSchema).merge(autoselectEnvSchema);
