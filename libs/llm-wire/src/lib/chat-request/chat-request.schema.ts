import { z } from 'zod';

/*
 * The OpenAI Chat Completions request body. Every documented parameter is typed and checked;
 * unknown top-level keys (vendor extensions) are kept and forwarded, never dropped.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() }).passthrough();
const imagePart = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }).passthrough(),
  })
  .passthrough();
const audioPart = z
  .object({ type: z.literal('input_audio'), input_audio: z.object({ data: z.string(), format: z.string() }).passthrough() })
  .passthrough();
const filePart = z.object({ type: z.literal('file'), file: z.record(z.unknown()) }).passthrough();
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() }).passthrough();

const userContent = z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart])).min(1)]);
const textContent = z.union([z.string(), z.array(textPart).min(1)]);

const toolCall = z
  .object({
    id: z.string(),
    type: z.literal('function'),
    function: z.object({ name: z.string(), arguments: z.string() }).passthrough(),
  })
  .passthrough();

const systemMessage = z.object({ role: z.literal('system'), content: textContent, name: z.string().optional() }).passthrough();
const developerMessage = z
  .object({ role: z.literal('developer'), content: textContent, name: z.string().optional() })
  .passthrough();
const userMessage = z.object({ role: z.literal('user'), content: userContent, name: z.string().optional() }).passthrough();
const assistantMessage = z
  .object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(z.union([textPart, refusalPart])), z.null()]).optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCall).optional(),
    function_call: z.object({ name: z.string(), arguments: z.string() }).nullable().optional(),
    audio: z.object({ id: z.string() }).nullable().optional(),
  })
  .passthrough()
  .refine((m) => m.content != null || (m.tool_calls?.length ?? 0) > 0 || m.function_call != null, {
    message: 'an assistant message needs content or tool_calls',
    path: ['content'],
  });
const toolMessage = z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string() }).passthrough();
const functionMessage = z
  .object({ role: z.literal('function'), content: z.string().nullable(), name: z.string() })
  .passthrough();

export const chatMessageSchema = z.union([systemMessage, developerMessage, userMessage, assistantMessage, toolMessage, functionMessage]);

const messageByRole = {
  system: systemMessage,
  developer: developerMessage,
  user: userMessage,
  assistant: assistantMessage,
  tool: toolMessage,
  function: functionMessage,
} as const;

/** Picks the schema by role, so an error names the field of that role rather than a union mismatch. */
const chatMessage = z.unknown().superRefine((value, ctx) => {
  const role = (value as { role?: unknown } | null)?.role;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'each message must be an object' });
    return;
  }
  // Own keys only: `role: "constructor"` must be a wrong role, not a prototype member.
  if (typeof role !== 'string' || !Object.hasOwn(messageByRole, role)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['role'],
      message: `role must be one of ${Object.keys(messageByRole).join(', ')}`,
    });
    return;
  }
  const result = messageByRole[role as keyof typeof messageByRole].safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue as z.IssueData);
}) as unknown as typeof chatMessageSchema;

const functionTool = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'function names are 1-64 of a-z, A-Z, 0-9, _ and -'),
        description: z.string().optional(),
        parameters: z.record(z.unknown()).optional(),
        strict: z.boolean().nullable().optional(),
      })
      .passthrough(),
  })
  .passthrough();

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }).passthrough(),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }).passthrough(),
  z.object({ type: z.literal('json_object') }).passthrough(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: z.string().min(1).max(64),
          description: z.string().optional(),
          schema: z.record(z.unknown()).optional(),
          strict: z.boolean().nullable().optional(),
        })
        .passthrough(),
    })
    .passthrough(),
]);

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1, 'model is required'),
    messages: z.array(chatMessage).min(1, 'messages must contain at least one message'),
    audio: z.record(z.unknown()).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    function_call: z.union([z.enum(['none', 'auto']), z.object({ name: z.string() })]).optional(),
    functions: z.array(z.object({ name: z.string() }).passthrough()).optional(),
    logit_bias: z.record(z.number().min(-100).max(100)).nullable().optional(),
    logprobs: z.boolean().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    metadata: z.record(z.string()).nullable().optional(),
    modalities: z.array(z.enum(['text', 'audio'])).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
    parallel_tool_calls: z.boolean().optional(),
    prediction: z.record(z.unknown()).nullable().optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullable().optional(),
    response_format: responseFormat.optional(),
    seed: z.number().int().nullable().optional(),
    service_tier: z.string().nullable().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).nullable().optional(),
    store: z.boolean().nullable().optional(),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    tool_choice: toolChoice.optional(),
    tools: z.array(functionTool).optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    user: z.string().optional(),
    web_search_options: z.record(z.unknown()).optional(),
  })
  .passthrough();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** `messages[0].content` style, as OpenAI names parameters in errors. */
export function formatParamPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}
