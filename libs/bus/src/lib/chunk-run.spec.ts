import { z } from 'zod';
import { BUS_HEADERS } from '@aisbf/contracts';
import { FRAME } from './bus-client';
import { MAX_RUN_BYTES, splitChunkRun } from './chunk-run';
import { encodeText } from './json-codec';
import { openStreamTestPair, StreamTestPair, testTransports } from './stream-test-pair';

const any = z.unknown();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('splitChunkRun', () => {
  it('splits a body by its sizes header and keeps a body without one whole', () => {
    const body = encodeText('abcdef');
    expect(splitChunkRun(body, '1,2,3').map((c) => Buffer.from(c).toString())).toEqual(['a', 'bc', 'def']);
    expect(splitChunkRun(body, undefined).map((c) => Buffer.from(c).toString())).toEqual(['abcdef']);
  });

  it('refuses sizes that do not add up to the body', () => {
    expect(splitChunkRun(encodeText('abc'), '1,1')).toEqual([]);
    expect(splitChunkRun(encodeText('abc'), '1,x,2')).toEqual([]);
    expect(splitChunkRun(encodeText('abc'), '-1,4')).toEqual([]);
  });
});

describe.each(testTransports(process.env.NATS_URL ?? 'nats://127.0.0.1:4222'))('stream chunks over the %s transport', (_name, connect) => {
  let pair: StreamTestPair;
  beforeEach(async () => (pair = await openStreamTestPair(connect)));
  afterEach(() => pair.close());

  it('sends the chunks a handler yields in one turn as one message, read back one by one', async () => {
    pair.server.onStream('burst', any, async function* () {
      yield encodeText('{"n":1}');
      yield encodeText('{"n":2}');
      yield encodeText('{"n":3}');
      await sleep(20);
      return { done: true };
    });
    const out = await pair.collect('burst');
    expect(out.map((o) => o.value)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', { done: true }]);
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.end]);
  });

  it('sends the final chunks of a turn with the end as one last frame', async () => {
    pair.server.onStream('tail', any, async function* () {
      yield encodeText('x');
      yield encodeText('y');
      return 'end';
    });
    expect((await pair.collect('tail')).map((o) => o.value)).toEqual(['x', 'y', 'end']);
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.last]);
  });

  it('relays chunks that come apart as they come: nothing waits for a later one', async () => {
    pair.server.onStream('paced', any, async function* () {
      yield encodeText('first');
      await sleep(150);
      yield encodeText('second');
      await sleep(150);
      return 'end';
    });
    const out = await pair.collect('paced');
    expect(out.map((o) => o.value)).toEqual(['first', 'second', 'end']);
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
    // The first chunk reached the caller before the second was even produced.
    expect(out[1].at - out[0].at).toBeGreaterThanOrEqual(120);
    expect(pair.frames[1].at - pair.frames[0].at).toBeGreaterThanOrEqual(120);
  });

  it('splits a turn bigger than the message limit over several messages, in order', async () => {
    const piece = (c: string) => encodeText(c.repeat(MAX_RUN_BYTES / 2 - 10));
    pair.server.onStream('big', any, async function* () {
      yield piece('a');
      yield piece('b');
      yield piece('c');
      await sleep(10);
      return 'end';
    });
    const out = await pair.collect('big');
    expect(out.map((o) => (typeof o.value === 'string' ? o.value[0] : o.value))).toEqual(['a', 'b', 'c', 'e']);
    expect(pair.frames.map((f) => f.frame)).toEqual([FRAME.chunk, FRAME.chunk, FRAME.end]);
  });

  it('fails a stream whose chunk list does not match its body, instead of delivering garbage', async () => {
    pair.transport.subscribe(`${pair.namespace}.forged`, (message) => {
      pair.transport.publish(message.reply!, encodeText('abc'), {
        headers: { [BUS_HEADERS.frame]: FRAME.chunk, [BUS_HEADERS.seq]: '0', [BUS_HEADERS.sizes]: '1,5' },
      });
    });
    const out = await pair.collect('forged');
    expect(out).toHaveLength(1);
    expect(out[0].value).toMatchObject({ code: 'upstream_stream_broken', retryable: true });
  });
});
