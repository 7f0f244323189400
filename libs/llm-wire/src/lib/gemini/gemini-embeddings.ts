import { geminiModelResource } from './gemini-request';

/** `batchEmbedContents` body: one request per text, all for the same model. */
export function toGeminiBatchEmbedRequest(model: string, texts: string[], dimensions?: number): Record<string, unknown> {
  const resource = geminiModelResource(model);
  return {
    requests: texts.map((text) => ({
      model: resource,
      content: { parts: [{ text }] },
      ...(dimensions ? { outputDimensionality: dimensions } : {}),
    })),
  };
}

/** The vectors of a `batchEmbedContents` response, in request order. */
export function fromGeminiBatchEmbed(json: unknown): number[][] {
  const response = json as { embeddings?: Array<{ values?: unknown }> } | null;
  if (!response || !Array.isArray(response.embeddings)) throw new Error('not an embeddings response');
  return response.embeddings.map((e) => {
    if (!Array.isArray(e.values)) throw new Error('embedding without values');
    return e.values as number[];
  });
}
