import { chatCompletionRequestSchema } from '../chat-request/chat-request.schema';
import { toGeminiRequest } from './gemini-request';
import { fromGeminiResponse, geminiModelPage } from './gemini-response';
import { GeminiStreamTranslator } from './gemini-stream';
import { fromGeminiBatchEmbed, toGeminiBatchEmbedRequest } from './gemini-embeddings';

const request = (body: object) => chatCompletionRequestSchema.parse({ model: 'gemini-2.0-flash', ...body });

describe('OpenAI -> Gemini request', () => {
  it('maps system instruction, roles, function calls and responses, images and generation config', () => {
    const out = toGeminiRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather where this photo was taken?' },
              { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            ],
          },
          { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":18}' },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        ],
        temperature: 0.4,
        top_p: 0.8,
        max_tokens: 200,
        stop: ['END'],
        seed: 3,
        response_format: { type: 'json_schema', json_schema: { name: 'w', schema: { type: 'object' } } },
        tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', additionalProperties: false } } }],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      }),
    );
    expect(out).toEqual({
      contents: [
        {
          role: 'user',
          parts: [{ text: 'Weather where this photo was taken?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } }],
        },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { temperature: 18 } } },
            { functionResponse: { name: 'get_weather', response: { output: 'sunny' } } },
          ],
        },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', description: 'Weather', parametersJsonSchema: { type: 'object', additionalProperties: false } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
      generationConfig: {
        temperature: 0.4,
        topP: 0.8,
        maxOutputTokens: 200,
        stopSequences: ['END'],
        seed: 3,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object' },
      },
    });
  });

  it('refuses a tool message that answers no known call', () => {
    expect(() => toGeminiRequest(request({ messages: [{ role: 'tool', tool_call_id: 'ghost', content: 'x' }] }))).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'messages[0].tool_call_id' }),
    );
  });
});

describe('Gemini -> OpenAI response', () => {
  it('maps candidates, function calls, finish reasons and usage', () => {
    const completion = fromGeminiResponse(
      {
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'thinking...', thought: true }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
            finishReason: 'STOP',
            index: 0,
          },
        ],
        usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 19 },
        modelVersion: 'gemini-2.0-flash-001',
        responseId: 'resp-1',
      },
      'fallback',
    );
    expect(completion).toMatchObject({
      id: 'resp-1',
      model: 'gemini-2.0-flash-001',
      choices: [
        {
          finish_reason: 'tool_calls',
          message: { content: null, tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    });
    expect(completion.choices[0].message.tool_calls![0].id).toMatch(/^call_/);
    expect(fromGeminiResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'MAX_TOKENS' }] }, 'm').choices[0].finish_reason).toBe('length');
    expect(fromGeminiResponse({ promptFeedback: { blockReason: 'SAFETY' } }, 'm').choices[0].finish_reason).toBe('content_filter');
  });

  it('reads model pages without the models/ prefix', () => {
    expect(geminiModelPage({ models: [{ name: 'models/gemini-2.0-flash' }], nextPageToken: 'p2' })).toEqual({
      ids: ['gemini-2.0-flash'],
      nextPageToken: 'p2',
    });
  });
});

describe('Gemini stream -> OpenAI chunks', () => {
  it('streams text pieces and completes on the finish reason, with usage when asked', () => {
    const translator = new GeminiStreamTranslator('gemini-2.0-flash', true);
    const events = [
      { candidates: [{ content: { role: 'model', parts: [{ text: 'Hel' }] }, index: 0 }], modelVersion: 'gemini-2.0-flash' },
      { candidates: [{ content: { role: 'model', parts: [{ text: 'lo' }] }, index: 0 }] },
      {
        candidates: [{ content: { role: 'model', parts: [{ text: '!' }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 },
      },
    ];
    const chunks = events.flatMap((e, i) => {
      const out = translator.push(JSON.stringify(e));
      if (i < 2) expect(translator.complete).toBe(false);
      return out;
    });
    expect(translator.complete).toBe(true);
    chunks.push(...translator.finish());
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(['', 'Hel', 'lo', '!', null, null]);
    expect(chunks[4].choices[0].finish_reason).toBe('stop');
    expect(chunks[5].usage).toEqual({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('streams a function call as one complete tool call', () => {
    const translator = new GeminiStreamTranslator('m', false);
    const chunks = translator.push(
      JSON.stringify({ candidates: [{ content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] }, finishReason: 'STOP' }] }),
    );
    expect(chunks[1].choices[0].delta.tool_calls![0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(chunks[2].choices[0].finish_reason).toBe('tool_calls');
    expect(translator.finish()).toEqual([]);
  });

  it('surfaces an error object in the stream', () => {
    const translator = new GeminiStreamTranslator('m', false);
    expect(() => translator.push(JSON.stringify({ error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } }))).toThrow('UNAVAILABLE: overloaded');
  });
});

describe('Gemini embeddings', () => {
  it('builds a batch request and reads vectors back in order', () => {
    expect(toGeminiBatchEmbedRequest('text-embedding-004', ['a', 'b'], 8)).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] }, outputDimensionality: 8 },
      ],
    });
    expect(fromGeminiBatchEmbed({ embeddings: [{ values: [1, 2] }, { values: [3, 4] }] })).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(() => fromGeminiBatchEmbed({ nothing: true })).toThrow();
  });
});
