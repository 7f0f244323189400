import { z } from 'zod';
import { candidateSchema } from '../route-resolve/candidate.schema';

/** One message as the classifier sees it: its role and all of its text (tool results and tool-call arguments included). */
export const classifyMessageSchema = z.object({
  role: z.string().max(64),
  content: z.string(),
});
export type ClassifyMessage = z.infer<typeof classifyMessageSchema>;

export const PRIVACY_CATEGORIES = ['secret', 'credential', 'pii', 'customer_data', 'marker', 'custom'] as const;

/** Where a detector fired: never what it matched. */
export const privacySignalSchema = z.object({
  detector: z.string(),
  category: z.enum(PRIVACY_CATEGORIES),
  /** Index of the message in the whole conversation. */
  messageIndex: z.number().int().nonnegative(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type PrivacySignal = z.infer<typeof privacySignalSchema>;

/** One model an autoselect policy may choose, as the classifier needs it. */
export const selectionCandidateSchema = z.object({
  modelId: z.string(),
  description: z.string(),
  /** The route keeps data private (private entry, private rotation or private provider). */
  private: z.boolean(),
  /** Lower is preferred when nothing else decides. */
  priority: z.number().int().optional(),
  capabilities: z.array(z.string()).default([]),
});
export type SelectionCandidate = z.infer<typeof selectionCandidateSchema>;

export const SELECTION_METHODS = ['local', 'llm', 'sticky', 'single', 'fallback', 'priority'] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

/** How the model is chosen: the local scorer, or a language model reached through a connector. */
export const selectorSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }),
  z.object({
    mode: z.literal('llm'),
    /** The route id of the selection model, for explanations. */
    modelId: z.string(),
    /** Connector candidates of the selection model, tried in order within the budget. */
    candidates: z.array(candidateSchema).min(1).max(8),
    /** The selection model keeps data private: only then may it see a private conversation. */
    private: z.boolean(),
    /** Whole budget of the selection call; past it the policy's fallback is used. */
    timeoutMs: z.number().int().positive().max(60_000),
  }),
]);
export type Selector = z.infer<typeof selectorSchema>;

export const classifyRequestSchema = z.object({
  username: z.string(),
  policy: z.string(),
  messages: z.array(classifyMessageSchema),
  /** Conversation index of messages[0]: earlier messages were classified by an earlier turn. */
  messageOffset: z.number().int().nonnegative().default(0),
  classifyPrivacy: z.boolean(),
  customPatterns: z.array(z.string()).default([]),
  customKeywords: z.array(z.string()).default([]),
  /** Semantic selection; absent when the policy does not ask for it. */
  selection: z
    .object({
      selector: selectorSchema,
      candidates: z.array(selectionCandidateSchema).min(1),
      fallback: z.string(),
      /** What an earlier turn of this conversation chose: kept while it stays allowed. */
      previous: z.object({ modelId: z.string(), method: z.enum(SELECTION_METHODS), confidence: z.number() }).optional(),
    })
    .optional(),
});
export type ClassifyRequest = z.input<typeof classifyRequestSchema>;
export type ParsedClassifyRequest = z.infer<typeof classifyRequestSchema>;

export const selectionResultSchema = z.object({
  /** The chosen model id, or null when the selector gave no usable answer. */
  modelId: z.string().nullable(),
  method: z.enum(SELECTION_METHODS),
  confidence: z.number().min(0).max(1),
  /** Why, in words; never prompt text. */
  reason: z.string(),
  /** Set when a language-model selector failed (timeout, error, invalid answer). */
  selectorError: z.string().optional(),
});
export type SelectionResult = z.infer<typeof selectionResultSchema>;

export const classifyReplySchema = z.object({
  private: z.boolean(),
  signals: z.array(privacySignalSchema),
  selection: selectionResultSchema.nullable(),
  durationMs: z.number().nonnegative(),
});
export type ClassifyReply = z.infer<typeof classifyReplySchema>;
