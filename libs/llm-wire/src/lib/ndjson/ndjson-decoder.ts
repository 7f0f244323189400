/**
 * Incremental newline-delimited JSON decoder: feed it bytes as they arrive, it hands back complete
 * non-empty lines (one JSON document each), in order.
 */
export class NdjsonDecoder {
  private readonly decoder = new TextDecoder();
  private buffer = '';

  push(bytes: Uint8Array): string[] {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.map((line) => line.trim()).filter(Boolean);
  }

  end(): string[] {
    const rest = (this.buffer + this.decoder.decode()).trim();
    this.buffer = '';
    return rest ? [rest] : [];
  }
}
