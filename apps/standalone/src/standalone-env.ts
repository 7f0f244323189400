import { edgeEnvSchema } from '@aisbf/edge-api';
import { autoselectEnvSchema } from '@aisbf/route-resolver';

/** The embedded mode reads the edge's variables and autoselect's; the other services take their defaults from it. */
export const standaloneEnvSchema = edgeEnvSchema.merge(autoselectEnvSchema);
