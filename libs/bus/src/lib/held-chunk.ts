import { chunkList, StreamChunks } from './stream-chunks';

/**
 * A chunk nobody reads before the stream ends (a plain answer's body): the bus server holds it back
 * and sends it in one message with the end frame, or just before the next chunk if one comes.
 */
export class HeldChunk {
  constructor(readonly data: Uint8Array) {}
}

/** The frames of `frames` with every chunk held, for a caller that only uses the whole answer. */
export async function* holdChunks<End>(frames: AsyncGenerator<StreamChunks, End, undefined>): AsyncGenerator<HeldChunk, End, undefined> {
  for (;;) {
    const next = await frames.next();
    if (next.done) return next.value;
    for (const chunk of chunkList(next.value)) yield new HeldChunk(chunk);
  }
}
