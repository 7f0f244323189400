/** Kinds of stream frame (BUS_HEADERS.frame): chunk, end, last (a chunk and the end), error, heartbeat. */
export const FRAME = { chunk: 'c', end: 'e', last: 'l', error: 'x', heartbeat: 'h' } as const;
