/**
 * What a stream handler yields: one chunk, or the chunks it has at hand at once (one upstream
 * read's events). A batch costs one generator step instead of one per chunk.
 */
export type StreamChunks = Uint8Array | readonly Uint8Array[];

/** The chunks of a yield, in order, whichever form it took. */
export function chunkList(value: StreamChunks): readonly Uint8Array[] {
  return value instanceof Uint8Array ? [value] : value;
}
