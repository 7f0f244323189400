import { SseDecoder } from './sse-decoder';

describe('SseDecoder', () => {
  it('reassembles events split across arbitrary byte boundaries, including multi-byte characters', () => {
    const text = 'data: {"a":"héllo"}\n\n: comment\n\nevent: ping\ndata: 1\n\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    for (const step of [1, 2, 3, 7, bytes.length]) {
      const decoder = new SseDecoder();
      const events = [];
      for (let i = 0; i < bytes.length; i += step) events.push(...decoder.push(bytes.subarray(i, i + step)));
      events.push(...decoder.end());
      expect(events.map((e) => [e.event ?? null, e.data])).toEqual([
        [null, '{"a":"héllo"}'],
        ['ping', '1'],
        [null, '[DONE]'],
      ]);
    }
  });

  it('handles CRLF line endings and multi-line data', () => {
    const decoder = new SseDecoder();
    const events = decoder.push(new TextEncoder().encode('data: a\r\ndata: b\r\n\r\n'));
    expect(events.map((e) => e.data)).toEqual(['a\nb']);
  });
});
