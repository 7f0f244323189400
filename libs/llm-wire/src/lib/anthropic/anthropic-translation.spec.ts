import { chatCompletionRequestSchema } from '../chat-request/chat-request.schema';
import { toAnthropicRequest } from './anthropic-request';
import { fromAnthropicMessage } from './anthropic-response';
import { AnthropicStreamTranslator } from './anthropic-stream';

const request = (body: object) => chatCompletionRequestSchema.parse({ model: 'claude-sonnet-4-5', ...body });

describe('OpenAI -> Anthropic request', () => {
  it('moves system prompts to `system`, merges tool results into one user turn and maps parameters', () => {
    const out = toAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in English.' }] },
          { role: 'user', content: 'Weather in Paris and Rome?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '18C' },
          { role: 'tool', tool_call_id: 'toolu_2', content: '24C' },
        ],
        temperature: 1.5,
        top_p: 0.9,
        top_k: 40,
        stop: 'END',
        max_completion_tokens: 300,
        user: 'u-7',
        stream: true,
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' } } }],
        tool_choice: 'required',
        parallel_tool_calls: false,
      }),
    );
    expect(out).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      system: 'Be brief.\n\nAnswer in English.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: '24C' },
          ],
        },
      ],
      temperature: 1,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      stream: true,
      metadata: { user_id: 'u-7' },
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
  });

  it('turns images into base64 or URL image blocks and sets a default max_tokens', () => {
    const out = toAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      }),
    );
    expect(out.max_tokens).toBe(4096);
    expect((out.messages as Array<{ content: unknown }>)[0].content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('maps tool_choice variants', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const choice = (tool_choice: unknown) =>
      toAnthropicRequest(request({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice })).tool_choice;
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice({ type: 'function', function: { name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
  });

  it('rejects what Anthropic cannot take, naming the parameter', () => {
    expect(() => toAnthropicRequest(request({ messages: [{ role: 'user', content: 'x' }], n: 2 }))).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'n' }),
    );
    expect(() =>
      toAnthropicRequest(
        request({
          messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
        }),
      ),
    ).toThrow(expect.objectContaining({ param: 'messages[0].tool_calls[0].function.arguments' }));
    expect(() =>
      toAnthropicRequest(
        request({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] }] }),
      ),
    ).toThrow(expect.objectContaining({ param: 'messages[0].content[0]' }));
  });
});

describe('Anthropic -> OpenAI response', () => {
  it('maps text, tool_use, stop reasons and usage including cached prompt tokens', () => {
    const completion = fromAnthropicMessage(
      {
        id: 'msg_01',
        model: 'claude-sonnet-4-5',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Paris' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 0 },
      },
      'fallback',
    );
    expect(completion).toMatchObject({
      id: 'msg_01',
      object: 'chat.completion',
      model: 'claude-sonnet-4-5',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: 'Let me check.',
            tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
        },
      ],
      usage: { prompt_tokens: 110, completion_tokens: 5, total_tokens: 115 },
    });
    expect(fromAnthropicMessage({ content: [], stop_reason: 'max_tokens' }, 'm').choices[0].finish_reason).toBe('length');
    expect(fromAnthropicMessage({ content: [], stop_reason: 'end_turn' }, 'm').choices[0].finish_reason).toBe('stop');
  });
});

describe('Anthropic stream -> OpenAI chunks', () => {
  const events = [
    { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 25, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 15 } },
    { type: 'message_stop' },
  ];

  it('streams text, tool calls and the finish reason, with usage at the end when asked', () => {
    const translator = new AnthropicStreamTranslator('fallback', true);
    const chunks = events.flatMap((event) => translator.push(JSON.stringify(event)));
    expect(translator.complete).toBe(true);
    chunks.push(...translator.finish());
    const deltas = chunks.map((c) => c.choices[0]?.delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hello' },
      { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {},
      undefined,
    ]);
    expect(chunks[5].choices[0].finish_reason).toBe('tool_calls');
    expect(chunks.every((c) => c.id === 'msg_1' && c.model === 'claude-x')).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 } });
    expect(translator.usage).toEqual({ prompt_tokens: 25, completion_tokens: 15, total_tokens: 40 });
  });

  it('is incomplete without message_stop, and surfaces error events', () => {
    const translator = new AnthropicStreamTranslator('m', false);
    for (const event of events.slice(0, 4)) translator.push(JSON.stringify(event));
    expect(translator.complete).toBe(false);
    expect(() => translator.push(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))).toThrow(
      'overloaded_error: Overloaded',
    );
  });
});
