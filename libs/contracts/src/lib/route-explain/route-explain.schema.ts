import { z } from 'zod';
import { errorPayloadSchema } from '../errors/aisbf-error';
import { requestHintsSchema, routeResolveRequestSchema } from '../route-resolve/route-resolve.schema';
import { autoselectDecisionSchema } from '../route-resolve/autoselect-decision.schema';

/** A dry run of aisbf.route.resolve: the same question, answered without calling any backend. */
export const routeExplainRequestSchema = routeResolveRequestSchema;
export type RouteExplainRequest = z.infer<typeof routeExplainRequestSchema>;

export const CANDIDATE_STATUSES = [
  'selected',
  'failover',
  'cooling',
  'half_open',
  'probe_in_flight',
  'filtered_capability',
  'filtered_privacy',
  'invalid',
] as const;

/** What the broker measured of one candidate over a sliding window (from aisbf.route.outcome). */
export const candidateStatsSchema = z.object({
  window_seconds: z.number(),
  requests: z.number().int(),
  successes: z.number().int(),
  failures: z.number().int(),
  /** Requests the upstream refused as the client's own mistake, and cancelled ones. */
  other_errors: z.number().int(),
  success_rate: z.number().nullable(),
  avg_latency_ms: z.number().nullable(),
  avg_ttft_ms: z.number().nullable(),
  last_success_at: z.string().nullable(),
  last_failure: z.object({ at: z.string(), status: z.number().int().nullable(), code: z.string().nullable() }).nullable(),
});
export type CandidateStats = z.infer<typeof candidateStatsSchema>;

export const candidateExplanationSchema = z.object({
  provider_id: z.string(),
  model: z.string(),
  /** Rotations from the requested one down to the one listing this candidate. */
  rotation_path: z.array(z.string()),
  weight: z.number(),
  /** The weight's share of its rotation, as configured. */
  share: z.number(),
  error_cooldown_seconds: z.number(),
  status: z.enum(CANDIDATE_STATUSES),
  /** 1-based position in the plan, null when left out. */
  position: z.number().int().positive().nullable(),
  reason: z.string(),
  /** This request would be the half-open probe of the candidate. */
  probe: z.boolean(),
  private: z.boolean(),
  capabilities: z.array(z.string()).nullable(),
  cooldown: z
    .object({
      until: z.string(),
      remaining_seconds: z.number(),
      level: z.number().int(),
      status: z.number().int(),
      code: z.string().nullable(),
    })
    .nullable(),
  stats: candidateStatsSchema.nullable(),
});
export type CandidateExplanation = z.infer<typeof candidateExplanationSchema>;

export const rotationPickSchema = z.object({
  rotation: z.string(),
  strategy: z.enum(['weighted', 'priority']),
  /** The rotation's request number that decided the weighted choice. */
  request_number: z.number().int().nullable(),
  point: z.number().nullable(),
  options: z.array(z.object({ member: z.string(), weight: z.number() })),
  chosen: z.string(),
});

/** Why a request for this route would go where it goes: the document /route/explain returns. */
export const routeExplanationSchema = z.object({
  route: z.string(),
  kind: z.enum(['provider', 'rotation', 'autoselect']),
  strategy: z.enum(['weighted', 'priority']).nullable(),
  hints: requestHintsSchema,
  require_private: z.boolean(),
  /** Where cooldowns, counters and statistics are kept: redis, memory, or memory while Redis is unreachable. */
  state_store: z.string(),
  plan: z.array(z.object({ position: z.number().int().positive(), provider_id: z.string(), model: z.string(), probe: z.boolean() })),
  candidates: z.array(candidateExplanationSchema),
  picks: z.array(rotationPickSchema),
  explanation: z.array(z.string()),
  /** What the call would answer instead of a plan (every candidate cooling down, none eligible). */
  error: errorPayloadSchema.nullable(),
  /** Autoselect routes: the privacy classification (detector names and positions) and the model chosen. */
  classification: autoselectDecisionSchema.optional(),
});
export type RouteExplanation = z.infer<typeof routeExplanationSchema>;
