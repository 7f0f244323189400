import { chatCompletionRequestSchema, formatParamPath } from './chat-request.schema';

function firstIssue(body: unknown) {
  const result = chatCompletionRequestSchema.safeParse(body);
  if (result.success) return null;
  const issue = result.error.issues[0];
  return { param: formatParamPath(issue.path), message: issue.message };
}

describe('chat completion request validation', () => {
  const base = { model: 'user-provider/p/m', messages: [{ role: 'user', content: 'hi' }] };

  it('accepts every documented parameter and keeps unknown extensions', () => {
    const body = {
      ...base,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      n: 2,
      seed: 7,
      max_tokens: 10,
      max_completion_tokens: 12,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
      stream: true,
      stream_options: { include_usage: true },
      user: 'u-1',
      logit_bias: { '50256': -100 },
      top_k: 40,
    };
    const parsed = chatCompletionRequestSchema.parse(body);
    expect(parsed).toEqual(body);
  });

  it('names the offending field like OpenAI does', () => {
    expect(firstIssue({ ...base, temperature: 3 })?.param).toBe('temperature');
    expect(firstIssue({ model: 'x', messages: [{ role: 'wizard', content: 'x' }] })?.param).toBe('messages[0].role');
    // Names of Object.prototype members are wrong roles too, not a crash.
    for (const role of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(firstIssue({ model: 'x', messages: [{ role, content: 'x' }] })?.param).toBe('messages[0].role');
    }
    expect(firstIssue({ model: 'x', messages: [{ role: 'tool', content: 'x' }] })?.param).toBe('messages[0].tool_call_id');
    expect(firstIssue({ model: 'x', messages: [] })?.param).toBe('messages');
    expect(firstIssue({ messages: base.messages })?.param).toBe('model');
    expect(firstIssue({ ...base, stop: ['a', 'b', 'c', 'd', 'e'] })?.param).toBe('stop');
  });

  it('accepts assistant tool calls without content and multimodal user content', () => {
    const body = {
      model: 'x',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } }] },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '42' },
      ],
    };
    expect(chatCompletionRequestSchema.safeParse(body).success).toBe(true);
    expect(firstIssue({ model: 'x', messages: [{ role: 'assistant' }] })?.param).toBe('messages[0].content');
  });
});
