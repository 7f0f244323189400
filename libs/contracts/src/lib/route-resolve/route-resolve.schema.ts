import { z } from 'zod';
import { candidateSchema } from './candidate.schema';
import { autoselectDecisionSchema } from './autoselect-decision.schema';
import { classifyMessageSchema } from '../classify/classify.schema';

export const requestHintsSchema = z.object({
  stream: z.boolean(),
  tools: z.boolean(),
  images: z.boolean(),
});
export type RequestHints = z.infer<typeof requestHintsSchema>;

export const routeResolveRequestSchema = z.object({
  username: z.string(),
  model: z.string(),
  hints: requestHintsSchema,
  /** The conversation's text, sent only for autoselect routes (their policy classifies it). */
  messages: z.array(classifyMessageSchema).optional(),
  /** The most candidates the caller will try (its attempt limit): the plan is cut there. */
  maxCandidates: z.number().int().positive().max(100).optional(),
  /** A policy demands that the data stays private: only candidates of private providers. */
  requirePrivate: z.boolean().optional(),
});
export type RouteResolveRequest = z.infer<typeof routeResolveRequestSchema>;

export const routePlanSchema = z.object({
  /** The id the client asked for, echoed in x-aisbf-route. */
  routeId: z.string(),
  routeKind: z.enum(['provider', 'rotation', 'autoselect']),
  candidates: z.array(candidateSchema).min(1),
  /** Human-readable reasons, one per decision taken while building the plan. */
  explanation: z.array(z.string()),
  /** For autoselect routes: privacy classification and model choice. */
  classification: autoselectDecisionSchema.optional(),
  /**
   * Set when the plan follows from the user's configuration alone (a direct provider route): the
   * caller may answer the same user, model and hints with it for this many ms, unless
   * `aisbf.config.changed` names the user first.
   */
  reusableMs: z.number().int().positive().optional(),
});
export type RoutePlan = z.infer<typeof routePlanSchema>;
