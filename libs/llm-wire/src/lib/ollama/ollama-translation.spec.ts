import { chatCompletionRequestSchema } from '../chat-request/chat-request.schema';
import { toOllamaRequest } from './ollama-request';
import { fromOllamaResponse, ollamaModelNames } from './ollama-response';
import { OllamaStreamTranslator } from './ollama-stream';
import { fromOllamaEmbed, toOllamaEmbedRequest } from './ollama-embeddings';

const request = (body: object) => chatCompletionRequestSchema.parse({ model: 'qwen2.5-coder:32b', ...body });

describe('OpenAI -> Ollama request', () => {
  it('maps messages, images, tool calls and results, options and format', () => {
    const out = toOllamaRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this image?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: '18C' },
        ],
        temperature: 0.2,
        max_tokens: 64,
        stop: ['END'],
        seed: 9,
        top_k: 20,
        response_format: { type: 'json_object' },
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        keep_alive: '10m',
      }),
    );
    expect(out).toEqual({
      model: 'qwen2.5-coder:32b',
      stream: false,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is in this image?', images: ['iVBORw0KGgo='] },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '18C', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      format: 'json',
      options: { temperature: 0.2, top_k: 20, num_predict: 64, stop: ['END'], seed: 9 },
      keep_alive: '10m',
    });
  });

  it('asks for images as data URLs and honours tool_choice none', () => {
    expect(() =>
      toOllamaRequest(request({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] })),
    ).toThrow(expect.objectContaining({ param: 'messages[0].content[0]' }));
    const out = toOllamaRequest(
      request({ messages: [{ role: 'user', content: 'x' }], stream: true, tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'none' }),
    );
    expect(out.tools).toBeUndefined();
    expect(out.stream).toBe(true);
  });
});

describe('Ollama -> OpenAI', () => {
  it('maps a whole response with tool calls and counts', () => {
    const completion = fromOllamaResponse(
      {
        model: 'llama3.2',
        message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_current_weather', arguments: { format: 'celsius', location: 'Paris, FR' } } }] },
        done: true,
        done_reason: 'stop',
        prompt_eval_count: 122,
        eval_count: 33,
      },
      'fallback',
    );
    expect(completion).toMatchObject({
      model: 'llama3.2',
      choices: [
        {
          finish_reason: 'tool_calls',
          message: { content: null, tool_calls: [{ type: 'function', function: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' } }] },
        },
      ],
      usage: { prompt_tokens: 122, completion_tokens: 33, total_tokens: 155 },
    });
    expect(fromOllamaResponse({ message: { content: 'x' }, done: true, done_reason: 'length' }, 'm').choices[0].finish_reason).toBe('length');
    expect(ollamaModelNames({ models: [{ name: 'codellama:13b' }, { name: 'llama3:latest' }] })).toEqual(['codellama:13b', 'llama3:latest']);
  });

  it('streams NDJSON lines as chunks, completing on done', () => {
    const translator = new OllamaStreamTranslator('llama3.2', true);
    const lines = [
      { model: 'llama3.2', message: { role: 'assistant', content: 'The' }, done: false },
      { model: 'llama3.2', message: { role: 'assistant', content: ' sky' }, done: false },
      { model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: 26, eval_count: 2 },
    ];
    const chunks = lines.flatMap((line) => translator.push(JSON.stringify(line)));
    expect(translator.complete).toBe(true);
    chunks.push(...translator.finish());
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(['', 'The', ' sky', null, null]);
    expect(chunks[3].choices[0].finish_reason).toBe('stop');
    expect(chunks[4].usage).toEqual({ prompt_tokens: 26, completion_tokens: 2, total_tokens: 28 });
    expect(() => new OllamaStreamTranslator('m', false).push('{"error":"model not found"}')).toThrow('model not found');
  });

  it('reads embeddings', () => {
    expect(toOllamaEmbedRequest('all-minilm', ['a'], undefined)).toEqual({ model: 'all-minilm', input: ['a'] });
    expect(fromOllamaEmbed({ model: 'all-minilm', embeddings: [[0.1, 0.2]], prompt_eval_count: 8 })).toEqual({ vectors: [[0.1, 0.2]], promptTokens: 8 });
  });
});
