import { embeddingsRequestSchema } from './embeddings-request.schema';
import { embeddingTexts, encodeEmbeddingBase64, openAiEmbeddingsResponse } from './openai-embeddings';

describe('embeddings', () => {
  it('encodes base64 as little-endian float32, the way OpenAI clients decode it', () => {
    const encoded = encodeEmbeddingBase64([0.5, -1, 2]);
    const bytes = Buffer.from(encoded, 'base64');
    expect([bytes.readFloatLE(0), bytes.readFloatLE(4), bytes.readFloatLE(8)]).toEqual([0.5, -1, 2]);
  });

  it('builds the OpenAI response in the requested encoding', () => {
    expect(openAiEmbeddingsResponse('m', [[1, 2]], 'float', 4)).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [1, 2] }],
      model: 'm',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
    expect(typeof openAiEmbeddingsResponse('m', [[1, 2]], 'base64', 0).data[0].embedding).toBe('string');
  });

  it('takes text inputs and refuses token ids for text-only wires', () => {
    expect(embeddingTexts(embeddingsRequestSchema.parse({ model: 'm', input: 'a' }), 'X')).toEqual(['a']);
    expect(embeddingTexts(embeddingsRequestSchema.parse({ model: 'm', input: ['a', 'b'] }), 'X')).toEqual(['a', 'b']);
    expect(() => embeddingTexts(embeddingsRequestSchema.parse({ model: 'm', input: [1, 2, 3] }), 'X')).toThrow(
      expect.objectContaining({ param: 'input' }),
    );
    expect(embeddingsRequestSchema.safeParse({ model: 'm', input: [] }).success).toBe(false);
    expect(embeddingsRequestSchema.safeParse({ model: 'm', input: 'a', encoding_format: 'hex' }).success).toBe(false);
  });
});
