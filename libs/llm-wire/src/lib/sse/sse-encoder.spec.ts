import { SseDecoder } from './sse-decoder';
import { sseDataFrames } from './sse-encoder';

describe('sseDataFrames', () => {
  it('frames each payload as its own data event, in order, bytes untouched', () => {
    const payloads = ['{"a":1}', '{"text":"naïve — ok"}', '{"b":[2]}'].map((p) => Buffer.from(p));
    const bytes = sseDataFrames(payloads);
    expect(bytes.toString()).toBe('data: {"a":1}\n\ndata: {"text":"naïve — ok"}\n\ndata: {"b":[2]}\n\n');
    // What a client's SSE parser reads back.
    expect(new SseDecoder().push(bytes).map((e) => e.data)).toEqual(['{"a":1}', '{"text":"naïve — ok"}', '{"b":[2]}']);
  });

  it('writes nothing for no payloads', () => {
    expect(sseDataFrames([])).toHaveLength(0);
  });
});
