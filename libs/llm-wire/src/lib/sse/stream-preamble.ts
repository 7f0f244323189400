const decoder = new TextDecoder();

function emptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Whether an OpenAI stream chunk is only a preamble: the assistant role with empty content and no
 * finish, usage or anything else. Until the first chunk that is more than that, nothing of the
 * answer has been produced, so a failing backend can still be replaced without the client noticing.
 * Anything not understood counts as answer.
 */
export function isStreamPreamble(json: Uint8Array): boolean {
  let chunk: { choices?: unknown; usage?: unknown } | null;
  try {
    chunk = JSON.parse(decoder.decode(json)) as { choices?: unknown; usage?: unknown } | null;
  } catch {
    return false;
  }
  if (!chunk || typeof chunk !== 'object' || !emptyValue(chunk.usage)) return false;
  if (!Array.isArray(chunk.choices) || chunk.choices.length === 0) return false;
  return chunk.choices.every((choice: { delta?: Record<string, unknown>; finish_reason?: unknown } | null) => {
    if (!choice || typeof choice !== 'object' || !emptyValue(choice.finish_reason)) return false;
    const delta = choice.delta ?? {};
    return Object.entries(delta).every(([key, value]) => key === 'role' || emptyValue(value));
  });
}
