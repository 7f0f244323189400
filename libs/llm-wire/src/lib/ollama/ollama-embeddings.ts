/** `/api/embed` body. */
export function toOllamaEmbedRequest(model: string, texts: string[], dimensions?: number): Record<string, unknown> {
  return { model, input: texts, ...(dimensions ? { dimensions } : {}) };
}

/** The vectors and prompt token count of an `/api/embed` response. */
export function fromOllamaEmbed(json: unknown): { vectors: number[][]; promptTokens: number } {
  const response = json as { embeddings?: unknown; prompt_eval_count?: number } | null;
  if (!response || !Array.isArray(response.embeddings)) throw new Error('not an embeddings response');
  return { vectors: response.embeddings as number[][], promptTokens: response.prompt_eval_count ?? 0 };
}
