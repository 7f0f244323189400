import { isStreamPreamble } from './stream-preamble';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const chunk = (delta: unknown, finish: string | null = null) => bytes({ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

describe('stream preamble', () => {
  it('holds back the opening role-only chunks', () => {
    expect(isStreamPreamble(chunk({ role: 'assistant', content: '' }))).toBe(true);
    expect(isStreamPreamble(chunk({ role: 'assistant', content: null, refusal: null }))).toBe(true);
    expect(isStreamPreamble(chunk({}))).toBe(true);
  });

  it('treats anything of the answer as answer', () => {
    expect(isStreamPreamble(chunk({ content: 'Hi' }))).toBe(false);
    expect(isStreamPreamble(chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '' } }] }))).toBe(false);
    expect(isStreamPreamble(chunk({ refusal: 'no' }))).toBe(false);
    expect(isStreamPreamble(chunk({ reasoning_content: 'thinking' }))).toBe(false);
    expect(isStreamPreamble(chunk({}, 'stop'))).toBe(false);
    expect(isStreamPreamble(bytes({ choices: [], usage: { total_tokens: 3 } }))).toBe(false);
  });

  it('does not hold back what it does not understand', () => {
    expect(isStreamPreamble(bytes('not json'))).toBe(false);
    expect(isStreamPreamble(bytes({ error: { message: 'x' } }))).toBe(false);
    expect(isStreamPreamble(bytes(null))).toBe(false);
  });
});
