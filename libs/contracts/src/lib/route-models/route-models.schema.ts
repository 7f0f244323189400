import { z } from 'zod';

export const routeModelsRequestSchema = z.object({ username: z.string() });
export type RouteModelsRequest = z.infer<typeof routeModelsRequestSchema>;

export const routeModelEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['provider', 'rotation', 'autoselect']),
  description: z.string().nullable(),
  privacy: z.boolean(),
  capabilities: z.array(z.string()),
});
export type RouteModelEntry = z.infer<typeof routeModelEntrySchema>;

export const routeModelsReplySchema = z.object({ models: z.array(routeModelEntrySchema) });
export type RouteModelsReply = z.infer<typeof routeModelsReplySchema>;
