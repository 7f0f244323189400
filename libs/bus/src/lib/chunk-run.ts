/** Bytes one message of coalesced chunks may reach before it is sent: well under NATS's 1 MB default. */
export const MAX_RUN_BYTES = 256 * 1024;

/** Stream chunks waiting to leave in one message: their bytes back to back and their lengths. */
export class ChunkRun {
  private chunks: Uint8Array[] = [];
  bytes = 0;

  get count(): number {
    return this.chunks.length;
  }

  add(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /** The run as one message body; `sizes` is null for a single chunk, which needs no header. */
  take(): { data: Uint8Array; sizes: string | null } {
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    if (chunks.length === 1) return { data: chunks[0], sizes: null };
    return { data: Buffer.concat(chunks), sizes: chunks.map((chunk) => chunk.length).join(',') };
  }
}

/** The chunks of a message, split by its sizes header (absent: the whole body is one chunk). */
export function splitChunkRun(data: Uint8Array, sizes: string | undefined): Uint8Array[] {
  if (sizes === undefined) return [data];
  const lengths = sizes.split(',').map(Number);
  const total = lengths.reduce((sum, length) => sum + length, 0);
  if (lengths.some((length) => !Number.isInteger(length) || length < 0) || total !== data.length) return [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    chunks.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return chunks;
}
