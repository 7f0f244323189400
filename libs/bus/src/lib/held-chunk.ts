/**
 * A chunk nobody reads before the stream ends (a plain answer's body): the bus server holds it back
 * and sends it in one message with the end frame, or just before the next chunk if one comes.
 */
/**
 * What a stream handler yields: one chunk, or the chunks it has at hand at once (one upstream
 * read's events). A batch costs one generator step instead of one per chunk.
 */
export type StreamChunks = Uint8Array | readonly Uint8Array[];

export class HeldChunk {
  constructor(readonly data: Uint8Array) {}
}

/** The frames of `frames` with every chunk held, for a caller that only uses the whole answer. */
export async function* holdChunks<End>(frames: AsyncGenerator<StreamChunks, End, undefined>): AsyncGenerator<HeldChunk, End, undefined> {
  for (;;) {
    const next = await frames.next();
    if (next.done) return next.value;
    if (next.value instanceof Uint8Array) yield new HeldChunk(next.value);
    else for (const chunk of next.value) yield new HeldChunk(chunk);
  }
}
