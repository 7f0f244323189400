import { z } from 'zod';
import { candidateSchema } from '../route-resolve/candidate.schema';

/** Asks the resolver for the candidate of one of the user's providers (e.g. to list its upstream models). */
export const routeProviderRequestSchema = z.object({ username: z.string(), providerId: z.string() });
export type RouteProviderRequest = z.infer<typeof routeProviderRequestSchema>;

/** The candidate's model is the provider's first configured model; the connector ignores it for listings. */
export const routeProviderReplySchema = z.object({ candidate: candidateSchema, models: z.array(z.string()) });
export type RouteProviderReply = z.infer<typeof routeProviderReplySchema>;
