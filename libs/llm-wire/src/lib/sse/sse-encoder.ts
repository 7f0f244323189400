const encoder = new TextEncoder();
const PREFIX = encoder.encode('data: ');
const SUFFIX = encoder.encode('\n\n');

/** One SSE `data:` event around an already-serialised JSON payload, without re-encoding it. */
export function sseDataFrame(json: Uint8Array): Buffer {
  return Buffer.concat([PREFIX, json, SUFFIX], PREFIX.length + json.length + SUFFIX.length);
}

export function sseJson(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
