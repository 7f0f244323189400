import { OpenAiStreamPassthrough } from './openai-stream-passthrough';

describe('OpenAiStreamPassthrough', () => {
  const content = JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] });
  const finish = JSON.stringify({ id: 'c', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  const usage = JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });

  it('passes chunks on byte for byte and reads finish reason and usage', () => {
    const stream = new OpenAiStreamPassthrough(true);
    expect([content, finish, usage, '[DONE]'].flatMap((data) => stream.push(data))).toEqual([content, finish, usage]);
    expect(stream.complete).toBe(true);
    expect(stream.finishReason).toBe('stop');
    expect(stream.usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 });
  });

  it('keeps the usage chunk AISBF asked for from a client that did not, and counts a finish reason as complete', () => {
    const stream = new OpenAiStreamPassthrough(false);
    expect([content, finish, usage].flatMap((data) => stream.push(data))).toEqual([content, finish]);
    expect(stream.usage?.total_tokens).toBe(4);
    stream.finish();
    expect(stream.complete).toBe(true);
  });

  it('surfaces an error object sent mid-stream', () => {
    expect(() => new OpenAiStreamPassthrough(false).push('{"error":{"message":"overloaded"}}')).toThrow('overloaded');
  });
});
