import { edgeEnvSchema } from '@aisbf/edge-api';

/** The embedded mode reads the edge's variables; the other services take their defaults from it. */
export const standaloneEnvSchema = edgeEnvSchema;
