import { z } from 'zod';
import { FRAME } from './bus-client';
import { HeldChunk, holdChunks } from './held-chunk';
import { encodeText } from './json-codec';
import { openStreamTestPair, StreamTestPair, testTransports } from './stream-test-pair';

const any = z.unknown();

describe.each(testTransports(process.env.NATS_URL ?? 'nats://127.0.0.1:4222'))('held chunks over the %s transport (a plain answer and its end in one message)', (_name, connect) => {
  let pair: StreamTestPair;
  beforeEach(async () => (pair = await openStreamTestPair(connect)));
  afterEach(() => pair.close());
  const values = async (subject: string) => (await pair.collect(subject)).map((received) => received.value);

  it('sends a held body with the end as one last frame, read as a chunk and then the end', async () => {
    pair.server.onStream('plain', any, () => holdChunks((async function* () {
      yield encodeText('{"id":"x"}');
      return { usage: { total: 3 } };
    })()));
    expect(await values('plain')).toEqual(['{"id":"x"}', { usage: { total: 3 } }]);
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.last]);
  });

  it('sends a held chunk before the next chunk, keeping the order', async () => {
    const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
    pair.server.onStream('pieces', any, async function* () {
      yield new HeldChunk(encodeText('a'));
      await tick();
      yield new HeldChunk(encodeText('b'));
      await tick();
      yield encodeText('c');
      await tick();
      return 'end';
    });
    expect(await values('pieces')).toEqual(['a', 'b', 'c', 'end']);
    // a leaves when b comes; b and c, ready in the same turn, share a message.
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
  });

  it('delivers a held chunk before the error that follows it', async () => {
    pair.server.onStream('fails', any, async function* () {
      yield new HeldChunk(encodeText('partial'));
      throw new Error('upstream broke');
    });
    const out = await values('fails');
    expect(out[0]).toBe('partial');
    expect(out[1]).toMatchObject({ code: 'internal_error' });
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.error]);
  });

  it('keeps an end payload with quotes, newlines and non-ASCII text intact in its header', async () => {
    const end = { finish: 'stop', note: 'line one\nline "two" – ünïcode' };
    pair.server.onStream('text', any, () => holdChunks((async function* () {
      yield encodeText('body');
      return end;
    })()));
    expect(await values('text')).toEqual(['body', end]);
  });
});
