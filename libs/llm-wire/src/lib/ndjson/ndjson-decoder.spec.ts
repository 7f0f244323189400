import { NdjsonDecoder } from './ndjson-decoder';

describe('NdjsonDecoder', () => {
  it('reassembles lines split across arbitrary byte boundaries, skipping blank lines', () => {
    const text = '{"a":"héllo"}\n\n{"b":2}\r\n{"c":3}';
    const bytes = new TextEncoder().encode(text);
    for (const step of [1, 2, 5, bytes.length]) {
      const decoder = new NdjsonDecoder();
      const lines: string[] = [];
      for (let i = 0; i < bytes.length; i += step) lines.push(...decoder.push(bytes.subarray(i, i + step)));
      lines.push(...decoder.end());
      expect(lines).toEqual(['{"a":"héllo"}', '{"b":2}', '{"c":3}']);
    }
  });
});
