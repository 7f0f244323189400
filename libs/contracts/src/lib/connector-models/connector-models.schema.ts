import { z } from 'zod';
import { candidateSchema } from '../route-resolve/candidate.schema';

/** Asks a pool for the upstream's model list; the candidate's model is ignored. */
export const connectorModelsRequestSchema = z.object({ candidate: candidateSchema });
export type ConnectorModelsRequest = z.infer<typeof connectorModelsRequestSchema>;

export const connectorModelsReplySchema = z.object({ models: z.array(z.object({ id: z.string() })) });
export type ConnectorModelsReply = z.infer<typeof connectorModelsReplySchema>;
