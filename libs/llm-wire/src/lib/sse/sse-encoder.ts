const encoder = new TextEncoder();
const PREFIX = encoder.encode('data: ');
const SUFFIX = encoder.encode('\n\n');

/**
 * SSE `data:` events around already-serialised JSON payloads, without re-encoding them, in one
 * buffer: one socket write (and one HTTP chunk) for all of them.
 */
export function sseDataFrames(chunks: readonly Uint8Array[]): Buffer {
  const parts: Uint8Array[] = [];
  let length = 0;
  for (const json of chunks) {
    parts.push(PREFIX, json, SUFFIX);
    length += PREFIX.length + json.length + SUFFIX.length;
  }
  return Buffer.concat(parts, length);
}

export function sseJson(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

export const SSE_DONE = 'data: [DONE]\n\n';
